package io.binlogbridge.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PayloadSink} onto a client connection. Payloads are handed to the event loop in windows of about 64 KiB,
 * one task per window; a writer that gets two windows ahead of the socket waits, so one answer holds at most about
 * three windows in memory however many rows it has.
 */
public final class ChannelPayloadSink implements PayloadSink {
    static final int WINDOW_BYTES = 64 << 10;

    private final ChannelHandlerContext ctx;
    private List<ByteBuf> window = new ArrayList<>();
    private int windowBytes;
    /** Completes when the window before the newest one has reached the socket. */
    private ChannelFuture olderWindow;
    private ChannelFuture newestWindow;

    public ChannelPayloadSink(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(byte[] payload) throws IOException {
        window.add(Unpooled.wrappedBuffer(payload));
        windowBytes += payload.length;
        if (windowBytes >= WINDOW_BYTES) {
            handOver();
        }
    }

    /** Hands over what is left and waits until all of it has reached the socket. */
    @Override
    public void finish() throws IOException {
        handOver();
        await(newestWindow);
    }

    private void handOver() throws IOException {
        if (window.isEmpty()) {
            return;
        }
        List<ByteBuf> batch = window;
        window = new ArrayList<>();
        windowBytes = 0;
        ChannelPromise written = ctx.newPromise();
        ctx.executor().execute(() -> {
            for (int i = 0; i < batch.size() - 1; i++) {
                ctx.write(batch.get(i), ctx.voidPromise());
            }
            ctx.writeAndFlush(batch.get(batch.size() - 1), written);
        });
        await(olderWindow);
        olderWindow = newestWindow;
        newestWindow = written;
    }

    private void await(ChannelFuture future) throws IOException {
        if (future == null) {
            return;
        }
        try {
            while (!future.await(1, TimeUnit.SECONDS)) {
                if (!ctx.channel().isActive()) {
                    throw new ClientGoneException("the client closed its connection", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGoneException("interrupted while writing to the client", e);
        }
        if (!future.isSuccess()) {
            throw new ClientGoneException("writing to the client failed: " + future.cause(), future.cause());
        }
    }
}
