package io.binlogbridge.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Bytes that are already whole MySQL packets (header and sequence id included), written as they are.
 * A binlog dump frames its event stream itself, many events to a buffer, so that the hot path neither
 * allocates a payload per event nor copies every event a second time in {@link PacketEncoder}.
 */
public final class FramedPackets extends DefaultByteBufHolder {
    public FramedPackets(ByteBuf packets) {
        super(packets);
    }

    /** Passes framed packets to the socket; sits between the head of the pipeline and {@link PacketEncoder}. */
    @ChannelHandler.Sharable
    public static final class Unwrapper extends MessageToMessageEncoder<FramedPackets> {
        public static final Unwrapper INSTANCE = new Unwrapper();

        private Unwrapper() {
            super(FramedPackets.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, FramedPackets msg, List<Object> out) {
            out.add(msg.content().retain());
        }
    }
}
