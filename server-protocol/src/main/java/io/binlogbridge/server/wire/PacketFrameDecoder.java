package io.binlogbridge.server.wire;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into MySQL packet payloads: 3-byte little-endian length, 1-byte sequence id,
 * payload. Payloads of exactly 0xFFFFFF bytes continue in the next packet and are reassembled into one.
 * Records each sequence id in {@link PacketSequence} so answers carry the right id.
 *
 * <p>The size limit is checked on the header, before any body is buffered, so a client cannot make us
 * hold more than the limit: a bigger packet gets ERR 1153 (MySQL's own answer) and the connection is
 * closed, because the rest of the stream can no longer be framed reliably.
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {
    /** MySQL's max_allowed_packet for commands; a replica never sends more than a few KiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;
    /** Before authentication, a handshake response needs far less; keeps unauthenticated memory small. */
    public static final int HANDSHAKE_MAX_PAYLOAD = 64 * 1024;

    private int maxPayload;
    private ByteBuf continued;
    private boolean failed;

    public PacketFrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Raises (or lowers) the limit, e.g. once the client has authenticated. Event loop only. */
    public void maxPayload(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    public int maxPayload() {
        return maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int sequenceId = in.getUnsignedByte(start + 3);
            long assembled = (long) (continued == null ? 0 : continued.readableBytes()) + length;
            if (assembled > maxPayload) {
                tooLarge(ctx, in, sequenceId);
                return;
            }
            if (in.readableBytes() < 4 + length) {
                return; // wait for the rest of the body
            }
            in.skipBytes(4);
            PacketSequence.of(ctx.channel()).received(sequenceId);
            if (length == MySqlConstants.MAX_PACKET_LENGTH) {
                if (continued == null) {
                    continued = ctx.alloc().buffer(length * 2);
                }
                continued.writeBytes(in, length);
                continue;
            }
            if (continued != null) {
                continued.writeBytes(in, length);
                out.add(continued);
                continued = null;
            } else {
                out.add(in.readRetainedSlice(length));
            }
            return;
        }
    }

    private void tooLarge(ChannelHandlerContext ctx, ByteBuf in, int sequenceId) {
        failed = true;
        in.skipBytes(in.readableBytes());
        releaseContinued();
        PacketSequence.of(ctx.channel()).received(sequenceId);
        ctx.channel()
                .writeAndFlush(ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_NET_PACKET_TOO_LARGE,
                        MySqlConstants.SQLSTATE_HANDSHAKE, "Got a packet bigger than 'max_allowed_packet' bytes"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseContinued();
    }

    private void releaseContinued() {
        if (continued != null) {
            continued.release();
            continued = null;
        }
    }
}
