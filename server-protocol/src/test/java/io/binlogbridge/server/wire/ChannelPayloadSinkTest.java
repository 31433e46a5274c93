package io.binlogbridge.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink over a real loopback connection whose reader can stop reading: bounded memory, then everything arrives. */
class ChannelPayloadSinkTest {
    private final EventLoopGroup loop = new NioEventLoopGroup(2);
    private final AtomicLong received = new AtomicLong();
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A reader that starts paused; and the writer's side, whose handler context the sink writes through. */
    private ChannelHandlerContext connect() throws Exception {
        Channel server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.SO_RCVBUF, 64 << 10)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                received.addAndGet(((ByteBuf) msg).readableBytes());
                                ((ByteBuf) msg).release();
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        CompletableFuture<ChannelHandlerContext> context = new CompletableFuture<>();
        new Bootstrap().group(loop).channel(NioSocketChannel.class).option(ChannelOption.SO_SNDBUF, 64 << 10)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        context.complete(ctx);
                    }
                }).connect(server.localAddress()).sync();
        return context.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWriterAheadOfTheSocketWaitsAndNothingIsLost() throws Exception {
        ChannelHandlerContext ctx = connect();
        Channel reader = accepted.poll(5, TimeUnit.SECONDS);
        ChannelPayloadSink sink = new ChannelPayloadSink(ctx);
        long total = 64_000_000L;
        AtomicLong handed = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                byte[] payload = new byte[1000];
                for (long sent = 0; sent < total; sent += payload.length) {
                    sink.write(payload);
                    handed.addAndGet(payload.length);
                }
                sink.finish();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        // The reader reads nothing yet: the writer must stop after the socket buffers and about three windows.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long stalledAt = -1;
        while (System.nanoTime() < deadline && stalledAt != handed.get()) {
            stalledAt = handed.get(); // the kernel's socket buffers fill first
            Thread.sleep(500);
        }
        assertEquals(stalledAt, handed.get(), "the writer waits while the reader does not read");
        assertTrue(stalledAt < 16L << 20, "handed over " + stalledAt + " bytes to a connection that reads nothing");
        assertTrue(ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes() <= 3L * ChannelPayloadSink.WINDOW_BYTES,
                "pending in Netty: " + ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes());

        reader.config().setAutoRead(true);
        writer.join(60_000);
        assertEquals(Thread.State.TERMINATED, writer.getState());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(total, received.get());
    }

    @Test
    void aClientThatGoesAwayEndsTheWriterWithClientGone() throws Exception {
        ChannelHandlerContext ctx = connect();
        Channel reader = accepted.poll(5, TimeUnit.SECONDS);
        ChannelPayloadSink sink = new ChannelPayloadSink(ctx);
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            byte[] payload = new byte[1000];
            try {
                while (true) {
                    sink.write(payload);
                }
            } catch (java.io.IOException e) {
                return e;
            }
        });
        Thread.sleep(200);
        ctx.channel().close();
        reader.close();
        Throwable e = failure.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof PayloadSink.ClientGoneException, e.toString());
        assertThrows(PayloadSink.ClientGoneException.class, sink::finish);
    }
}
