package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.http.Readiness;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.ServerCounters;
import io.binlogbridge.replayer.session.Session;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/** The replayer's meters (docs/operations.md lists them), read from the server, the block cache and the index when scraped. */
public final class ReplayerMetrics {
    private ReplayerMetrics() {}

    /** One cluster's log, for its meters; {@code tail} null: no live-tail meters. */
    public record ClusterMeters(String name, LogIndex index, RecordBlockCache blocks, LiveTail tail) {
        public ClusterMeters(String name, LogIndex index, RecordBlockCache blocks) {
            this(name, index, blocks, null);
        }
    }

    public static void bind(MeterRegistry registry, ReplayerServer server, RecordBlockCache blocks, LogIndex index,
            Readiness readiness) {
        bind(registry, server, List.of(new ClusterMeters(null, index, blocks)), readiness);
    }

    /**
     * The server's meters, and each cluster's: with several clusters those carry a {@code cluster} tag, one series per
     * cluster; with one they carry none, as before clusters had names.
     */
    public static void bind(MeterRegistry registry, ReplayerServer server, List<ClusterMeters> clusters, Readiness readiness) {
        ServerCounters counters = server.counters();
        FunctionCounter.builder("binlogbridge.replayer.sent.bytes", counters, ServerCounters::sentBytes).baseUnit("bytes")
                .description("Bytes of dump packets (events, heartbeats, framing) handed to client connections").register(registry);
        FunctionCounter.builder("binlogbridge.replayer.authentication.failures", counters, ServerCounters::authenticationFailures)
                .description("Logins refused (wrong password or unknown user)").register(registry);
        Gauge.builder("binlogbridge.replayer.connections", server.connections(), c -> c.size())
                .description("Open MySQL protocol connections").register(registry);
        Gauge.builder("binlogbridge.replayer.ready", readiness, r -> r.notReadyReason() == null ? 1 : 0)
                .description("1 when /ready answers 200, else 0").register(registry);
        boolean tagged = clusters.size() > 1;
        for (ClusterMeters cluster : clusters) {
            bindCluster(registry, server, cluster, tagged ? Tags.of("cluster", cluster.name()) : Tags.empty(),
                    tagged ? cluster.name() : null);
        }
    }

    /** @param only the cluster whose dumps count, null for all */
    private static void bindCluster(MeterRegistry registry, ReplayerServer server, ClusterMeters cluster, Tags tags, String only) {
        RecordBlockCache blocks = cluster.blocks();
        LogIndex index = cluster.index();
        Gauge.builder("binlogbridge.replayer.dumps", server, s -> dumps(s, only)).tags(tags)
                .description("Connections serving a binlog dump").register(registry);
        Gauge.builder("binlogbridge.replayer.max.dump.lag", server, s -> maxDumpLag(s, index, only)).baseUnit("bytes").tags(tags)
                .description("Bytes of the log after the position of the dump furthest behind; 0 without dumps").register(registry);
        cacheCounter(registry, blocks, tags, "binlogbridge.replayer.block.cache.fetches", null, RecordBlockCache.Stats::fetches,
                "Blocks of the log fetched from Kafka for dumps reading history");
        cacheCounter(registry, blocks, tags, "binlogbridge.replayer.block.cache.fetched.bytes", "bytes", RecordBlockCache.Stats::fetchedBytes,
                "Bytes of records fetched from Kafka into the block cache");
        cacheCounter(registry, blocks, tags, "binlogbridge.replayer.block.cache.hits", null, RecordBlockCache.Stats::hits,
                "Blocks a dump found in the cache");
        cacheCounter(registry, blocks, tags, "binlogbridge.replayer.block.cache.shared.fetches", null, RecordBlockCache.Stats::waits,
                "Blocks a dump took from another dump's fetch in progress");
        Gauge.builder("binlogbridge.replayer.block.cache", blocks, b -> b.snapshot().cachedBytes()).baseUnit("bytes").tags(tags)
                .description("Off-heap bytes the block cache holds").register(registry);
        Gauge.builder("binlogbridge.replayer.block.cache.evicted.held", blocks, b -> b.snapshot().heldAfterEvictionBytes())
                .baseUnit("bytes").tags(tags).description("Off-heap bytes of evicted blocks that dumps still stream (counted against "
                        + "the cache's capacity until freed)").register(registry);
        LiveTail tail = cluster.tail();
        if (tail != null) {
            Gauge.builder("binlogbridge.replayer.live.tail.followers", tail, t -> t.snapshot().followers()).tags(tags)
                    .description("Dumps that reached the log's end and share the index tail's records").register(registry);
            FunctionCounter.builder("binlogbridge.replayer.live.tail.blocks", tail, t -> t.snapshot().appended()).tags(tags)
                    .description("Fetches of the index tail kept for the dumps following the log's end").register(registry);
            Gauge.builder("binlogbridge.replayer.live.tail", tail, t -> t.snapshot().bytes()).baseUnit("bytes").tags(tags)
                    .description("Off-heap bytes of the live tail's blocks").register(registry);
            FunctionCounter.builder("binlogbridge.replayer.live.tail.handoffs", tail, t -> t.snapshot().handed()).tags(tags)
                    .description("Blocks the index tail handed straight to the event loops of dumps parked at the log's end")
                    .register(registry);
            Timer delay = Timer.builder("binlogbridge.replayer.live.tail.delay").tags(tags).publishPercentiles(0.5, 0.99)
                    .description("From the index tail reading records to a parked dump's event loop streaming them")
                    .register(registry);
            tail.measureDelays(nanos -> delay.record(nanos, TimeUnit.NANOSECONDS));
        }
        Gauge.builder("binlogbridge.replayer.indexed.records", index, LogIndex::nextOffset).tags(tags)
                .description("Topic offset just after the last record the index holds").register(registry);
    }

    private static double dumps(ReplayerServer server, String only) {
        if (only == null) {
            return server.connections().dumps();
        }
        int dumps = 0;
        for (Session s : server.connections().sessions()) {
            if (s.dumping() && only.equals(s.cluster())) {
                dumps++;
            }
        }
        return dumps;
    }

    private static void cacheCounter(MeterRegistry registry, RecordBlockCache blocks, Tags tags, String name, String unit,
            ToDoubleFunction<RecordBlockCache.Stats> value, String description) {
        FunctionCounter.builder(name, blocks, b -> value.applyAsDouble(b.snapshot())).baseUnit(unit).tags(tags).description(description)
                .register(registry);
    }

    static double maxDumpLag(ReplayerServer server, LogIndex index) {
        return maxDumpLag(server, index, null);
    }

    /** @param only the cluster whose dumps count, null for all */
    static double maxDumpLag(ReplayerServer server, LogIndex index, String only) {
        List<IndexedFile> files = index.files();
        long max = 0;
        for (Session s : server.connections().sessions()) {
            ConnectionStats stats = s.stats();
            if (s.dumping() && (only == null || only.equals(s.cluster()))) {
                max = Math.max(max, DumpLag.bytesBehind(files, index, stats.dumpFile(), stats.dumpPosition()));
            }
        }
        return max;
    }
}
