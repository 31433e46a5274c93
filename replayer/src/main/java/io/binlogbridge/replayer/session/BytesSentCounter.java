package io.binlogbridge.replayer.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection writes, for MySQL's Bytes_sent: placed where every message has become bytes (after
 * the packet encoder), so results, errors and dump packets all count, each once.
 */
public final class BytesSentCounter extends ChannelOutboundHandlerAdapter {
    private final ConnectionStats stats;

    public BytesSentCounter(ConnectionStats stats) {
        this.stats = stats;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            stats.written(b.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
