package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpRequestHandler;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.server.wire.ResponsePackets;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves dump requests from the Kafka topic: one {@link DumpStreamer} thread per dumping connection. A new dump of a
 * replica that already has one ends the old one (MySQL ends such "zombie" dump threads: a replica that lost its
 * connection without the server noticing); past {@code --max-dumps}, a dump gets ERROR 1040, which replicas retry.
 */
public final class KafkaDumpRequestHandler implements DumpRequestHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaDumpRequestHandler.class);

    private final LogIndex index;
    private final LogConsumers consumers;
    private final RecordBlockCache blocks;
    private final LiveTail tail;
    private final DumpPlanner planner;
    private final ExecutorService threads;
    private final int maxDumps;
    private final Set<DumpStreamer> active = ConcurrentHashMap.newKeySet();

    /**
     * @param blocks   the log's history, shared by the dumps that read it
     * @param tail     the records at the log's end, shared by the dumps that follow it
     * @param maxDumps dumps served at once, 0 for no limit
     * @param archive {@code --archive}: where dumps read history the topic no longer holds; null for none
     */
    public KafkaDumpRequestHandler(LogIndex index, LogConsumers consumers, RecordBlockCache blocks, LiveTail tail, int maxDumps,
            ArchiveHistory archive) {
        this.index = index;
        this.consumers = consumers;
        this.blocks = blocks;
        this.tail = tail;
        this.maxDumps = maxDumps;
        this.planner = new DumpPlanner(index, archive);
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
        endZombies(session, request);
        if (maxDumps > 0 && active.size() >= maxDumps) {
            log.warn("connection {} ({}@{}, server_id {}): dump refused: {} dumps run, the most --max-dumps allows",
                    session.connectionId(), session.user(), session.remoteHost(), request.serverId(), active.size());
            ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_CON_COUNT_ERROR, "08004", "Too many connections"));
            return;
        }
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
        DumpStreamer streamer = new DumpStreamer(ctx.channel(), session, request, index, consumers, blocks, tail, planner, writability,
                sequence.peek());
        ctx.channel().closeFuture().addListener(f -> streamer.stop());
        active.add(streamer);
        threads.execute(() -> {
            try {
                streamer.run();
            } finally {
                active.remove(streamer);
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

    private void endZombies(Session session, DumpRequest request) {
        String uuid = DumpStreamer.replicaUuid(session);
        for (DumpStreamer other : active) {
            if (other.session() != session && other.sameReplica(uuid, request.serverId())) {
                log.info("connection {}: a new dump of the same replica (server_id {}{}, connection {}) replaces this one",
                        other.session().connectionId(), request.serverId(), uuid == null ? "" : ", uuid " + uuid, session.connectionId());
                // Out of the count at once: the new dump must not meet --max-dumps because of the one it replaces.
                active.remove(other);
                other.stop();
                other.channel().close();
            }
        }
    }
    /**
     * Ends every dump at its next event boundary (their connections close once what was sent is written) and waits
     * for them up to {@code timeout}; those still running then are stopped where they are.
     */
    public void finishAll(Duration timeout) throws InterruptedException {
        active.forEach(DumpStreamer::finish);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!active.isEmpty()) {
            log.warn("{} dumps did not reach an event boundary within {} ms: stopping them", active.size(), timeout.toMillis());
            active.forEach(DumpStreamer::stop);
        }
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
