package io.binlogbridge.server.wire;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames a payload ({@link ByteBuf}) into MySQL packets: 3-byte length, sequence id, payload. A payload
 * of 0xFFFFFF bytes or more is split; when it is an exact multiple of 0xFFFFFF an empty packet ends it,
 * as the protocol requires. Every {@code ByteBuf} written to the channel is a payload.
 */
@ChannelHandler.Sharable
public final class PacketEncoder extends MessageToByteEncoder<ByteBuf> {
    public static final PacketEncoder INSTANCE = new PacketEncoder();

    public PacketEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf payload, ByteBuf out) {
        PacketSequence seq = PacketSequence.of(ctx.channel());
        int remaining = payload.readableBytes();
        out.ensureWritable(remaining + 4 * (1 + remaining / MySqlConstants.MAX_PACKET_LENGTH));
        while (true) {
            int chunk = Math.min(remaining, MySqlConstants.MAX_PACKET_LENGTH);
            out.writeMediumLE(chunk);
            out.writeByte(seq.nextToSend());
            // Not out.writeBytes(payload, chunk): for a CompositeByteBuf (OK byte + event) the pooled output buffer
            // asks for payload.nioBuffer(), which merges the components into a new heap ByteBuffer per event
            // (19% of the replayer's allocations in a 10-client dump). readBytes copies component by component.
            payload.readBytes(out, chunk);
            remaining -= chunk;
            if (chunk < MySqlConstants.MAX_PACKET_LENGTH) {
                break;
            }
        }
    }
}
