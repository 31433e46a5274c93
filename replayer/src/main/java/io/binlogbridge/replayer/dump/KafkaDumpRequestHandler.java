package io.binlogbridge.replayer.dump;

import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpRequestHandler;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.replayer.session.Session;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves dump requests from the Kafka topic: one {@link DumpStreamer} thread per dumping connection. */
public final class KafkaDumpRequestHandler implements DumpRequestHandler, AutoCloseable {
    private final LogIndex index;
    private final LogConsumers consumers;
    private final RecordBlockCache blocks;
    private final DumpPlanner planner;
    private final ExecutorService threads;

    public KafkaDumpRequestHandler(LogIndex index, LogConsumers consumers, RecordBlockCache blocks) {
        this.index = index;
        this.consumers = consumers;
        this.blocks = blocks;
        this.planner = new DumpPlanner(index);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "dump-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.threads = Executors.newCachedThreadPool(factory);
    }

    @Override
    public void startDump(ChannelHandlerContext ctx, Session session, DumpRequest request) {
        session.dumping(true);
        PacketSequence sequence = PacketSequence.of(ctx.channel());
        sequence.ignoreReceived(true);
        Object writability = new Object();
        ctx.pipeline().addLast("dump-writability", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext c) {
                synchronized (writability) {
                    writability.notifyAll();
                }
                c.fireChannelWritabilityChanged();
            }
        });
        DumpStreamer streamer = new DumpStreamer(ctx.channel(), session, request, index, consumers, blocks, planner, writability,
                sequence.peek());
        ctx.channel().closeFuture().addListener(f -> streamer.stop());
        threads.execute(() -> {
            try {
                streamer.run();
            } finally {
                if (ctx.channel().isRegistered() && !ctx.channel().eventLoop().isShuttingDown()) {
                    try {
                        ctx.channel().eventLoop().execute(() -> {
                            if (ctx.pipeline().get("dump-writability") != null) {
                                ctx.pipeline().remove("dump-writability");
                            }
                            PacketSequence.of(ctx.channel()).ignoreReceived(false);
                        });
                    } catch (RejectedExecutionException stopping) {
                        // The server is shutting down with this connection: there is no pipeline left to restore.
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
