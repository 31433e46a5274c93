package io.binlogbridge.bench;

import static io.binlogbridge.bench.MarkdownTable.ratio;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scenario 3, live lag: sysbench oltp_write_only at a fixed rate on the MySQL source while blocking dump clients,
 * started before the load at the current end of each server's binlog, read from the source, from the replayer, and
 * from an intermediate MySQL replica (GTID auto-position, log-slave-updates: the chain users run today); a
 * read_committed consumer of the topic watches too. Lag of a transaction = its arrival at an observer minus its
 * arrival at the source's client, matched by GTID. The same load runs first, unmeasured, for {@code bench.lagWarmupSeconds}.
 * With {@code bench.lagFollowers}, that many more dump clients follow the replayer's end too (their lag is reported as
 * one row: the median of their p50s and the worst of their p99s).
 */
final class LagScenario {
    private static final String PHASE = "live lag";
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private LagScenario() {}

    static ScenarioResult run(BenchSettings settings, ForkedKafkaBroker kafka, MySqlServer source, MeasuredRelay relay,
            ReplayerSlot replayers) throws Exception {
        // The intermediate replica starts from here, so it neither copies nor applies the backlog; everything it
        // needs after this point (the sysbench schema) is created below, on the source.
        String replicaStart = source.gtidExecuted().replaceAll("\\s", "");
        try (MySqlServer chain = BenchReplicas.start("bench-chain", 3, "--log-slave-updates=ON")) {
            chain.execute("RESET MASTER", "SET GLOBAL gtid_purged = '" + replicaStart + "'",
                    BenchReplicas.changeMasterTo(source), "START SLAVE");
            Sysbench sysbench = Sysbench.prepare(source);
            // Users' sources and replicas commit durably; the backlog was generated without.
            source.execute("SET GLOBAL sync_binlog = 1", "SET GLOBAL innodb_flush_log_at_trx_commit = 1");
            BenchReplicas.awaitApplied(chain, source.gtidExecuted().replaceAll("\\s", ""), Duration.ofMinutes(5));
            relay.awaitRelayed(Coordinates.endOf(source), Duration.ofMinutes(5));
            ReplayerJvm replayer = replayers.get();
            Coordinates sourceEnd = Coordinates.endOf(source);
            Map<String, Object> durability = Json.object(
                    "source", durability(source), "intermediateReplica", durability(chain));

            try (ArrivalObserver viaSource = ArrivalObserver.dump("source", source.port(), MeasuredRelay.SOURCE_USER,
                    MeasuredRelay.SOURCE_PASSWORD, 5001, sourceEnd);
                    ArrivalObserver viaReplayer = ArrivalObserver.dump("replayer", replayer.port(), ReplayerJvm.USER,
                            ReplayerJvm.PASSWORD, 5002, sourceEnd);
                    ArrivalObserver viaChain = ArrivalObserver.dump("MySQL intermediate replica", chain.port(), "root", "",
                            5003, Coordinates.endOf(chain));
                    ArrivalObserver viaTopic = ArrivalObserver.topic("topic (read_committed)", kafka.clientProperties(),
                            relay.topic())) {
                List<ArrivalObserver> more = new ArrayList<>();
                for (int i = 0; i < settings.lagFollowers(); i++) {
                    more.add(ArrivalObserver.dump("replayer follower " + (i + 1), replayer.port(), ReplayerJvm.USER,
                            ReplayerJvm.PASSWORD, 5100 + i, sourceEnd));
                }
                List<ArrivalObserver> followers = new ArrayList<>(List.of(viaReplayer, viaChain, viaTopic));
                followers.addAll(more);
                Set<MySqlGtid> warmUp = Set.of();
                if (settings.lagWarmupSeconds() > 0) {
                    // At 200 tx/s a path run once per transaction takes about a minute to reach C2: without this the
                    // window measured the JIT compilers of the relay, the replayer and the broker (docs/benchmarks.md).
                    System.out.println("[bench] lag: warming up for " + settings.lagWarmupSeconds() + " s (not measured)");
                    sysbench.run(settings.rate(), settings.sysbenchThreads(), settings.lagWarmupSeconds());
                    awaitEveryTransaction(viaSource, followers);
                    warmUp = Set.copyOf(viaSource.arrivals().keySet());
                }
                try (ProcessMeter.Group meters = new ProcessMeter.Group(PHASE)
                        .add(CatchUpScenario.RELAY, relay.pid(), relay.gcLog())
                        .add("replayer", replayer.pid(), replayer.gcLog())
                        .add("kafka broker", kafka.pid())
                        .add("mysqld source", source.pid())
                        .add("mysqld intermediate replica", chain.pid())) {
                    long binlogBefore = Backlog.binlogBytes(source);
                    LiveTailDelay delayBefore = LiveTailDelay.scrape(replayers.httpPort());
                    Sysbench.Result load = sysbench.run(settings.rate(), settings.sysbenchThreads(), settings.seconds());
                    awaitEveryTransaction(viaSource, followers);
                    List<ProcessMeter.Usage> usage = meters.stop();
                    Map<String, Object> tailDelay = LiveTailDelay.scrape(replayers.httpPort()).since(delayBefore);
                    long binlogWritten = Backlog.binlogBytes(source) - binlogBefore;
                    Map<MySqlGtid, Long> measured = new HashMap<>(viaSource.arrivals());
                    measured.keySet().removeAll(warmUp);
                    return result(settings, load, binlogWritten, durability, viaSource, measured, viaReplayer, viaChain, viaTopic,
                            more, usage, tailDelay);
                } finally {
                    for (ArrivalObserver o : more) {
                        o.close();
                    }
                }
            }
        } finally {
            source.execute("SET GLOBAL sync_binlog = 0", "SET GLOBAL innodb_flush_log_at_trx_commit = 0");
        }
    }

    /** Waits until every observer has every transaction the source's client got, or gives up after a while. */
    private static void awaitEveryTransaction(ArrivalObserver reference, List<ArrivalObserver> observers)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Set<MySqlGtid> expected = reference.arrivals().keySet();
        for (ArrivalObserver o : observers) {
            while (!o.arrivals().keySet().containsAll(expected) && o.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, Object> durability(MySqlServer db) {
        List<String> row = db.queryRows("SELECT @@global.sync_binlog, @@global.innodb_flush_log_at_trx_commit").get(0);
        return Json.object("sync_binlog", row.get(0), "innodb_flush_log_at_trx_commit", row.get(1));
    }

    private static ScenarioResult result(BenchSettings settings, Sysbench.Result load, long binlogWritten,
            Map<String, Object> durability, ArrivalObserver viaSource, Map<MySqlGtid, Long> reference,
            ArrivalObserver viaReplayer,
            ArrivalObserver viaChain, ArrivalObserver viaTopic, List<ArrivalObserver> more, List<ProcessMeter.Usage> usage,
            Map<String, Object> tailDelay) {
        LagStats replayer = LagStats.of(viaReplayer.name(), reference, viaReplayer.arrivals());
        LagStats topic = LagStats.of(viaTopic.name(), reference, viaTopic.arrivals());
        LagStats chain = LagStats.of(viaChain.name(), reference, viaChain.arrivals());
        double p50Ratio = replayer.p50Ms() / chain.p50Ms();
        double p99Ratio = replayer.p99Ms() / chain.p99Ms();

        MarkdownTable lagTable = new MarkdownTable(String.format("Live lag: sysbench oltp_write_only at %d tx/s (%d threads,"
                + " %d s after %d s of warm-up; %d transactions, %.0f tx/s achieved); lag after the source's own dump client, ms",
                settings.rate(), settings.sysbenchThreads(), settings.seconds(), settings.lagWarmupSeconds(),
                load.transactions(), load.perSecond()),
                "observer", "matched / source's", "p50", "p99", "max", "min", "vs intermediate replica (p50 / p99)");
        List<LagStats> rows = new ArrayList<>(List.of(replayer, topic, chain));
        LagStats others = null;
        if (!more.isEmpty()) {
            List<LagStats> each = more.stream().map(o -> LagStats.of(o.name(), reference, o.arrivals())).toList();
            double[] p50s = each.stream().mapToDouble(LagStats::p50Ms).sorted().toArray();
            others = new LagStats(more.size() + " more replayer followers (median p50, worst p99/max/min)",
                    each.stream().mapToInt(LagStats::matched).min().orElse(0), reference.size(), p50s[p50s.length / 2],
                    each.stream().mapToDouble(LagStats::p99Ms).max().orElse(Double.NaN),
                    each.stream().mapToDouble(LagStats::maxMs).max().orElse(Double.NaN),
                    each.stream().mapToDouble(LagStats::minMs).min().orElse(Double.NaN));
            rows.add(1, others);
        }
        for (LagStats s : rows) {
            lagTable.row(s.observer(), s.matched() + " / " + s.reference(), s.p50Ms(), s.p99Ms(), s.maxMs(), s.minMs(),
                    s == chain ? "1" : ratio(s.p50Ms() / chain.p50Ms()) + " / " + ratio(s.p99Ms() / chain.p99Ms()));
        }
        if (((Number) tailDelay.get("blocks")).longValue() > 0) {
            lagTable.note(String.format("The replayer's own delay (its live_tail_delay meter, from reading the records to a parked"
                    + " dump's event loop streaming them): %s blocks streamed in the window, mean %.3f ms; p50 %.3f / p99 %.3f ms"
                    + " over the meter's last two minutes.", tailDelay.get("blocks"), tailDelay.get("meanMs"), tailDelay.get("p50Ms"),
                    tailDelay.get("p99Ms")));
        } else {
            lagTable.note("The replayer's live_tail_delay meter counted no block in the window (a replayer older than the meter).");
        }

        double gb = binlogWritten / 1e9;
        Map<String, Object> cpuPerGb = new LinkedHashMap<>();
        MarkdownTable cpuTable = new MarkdownTable(String.format("Live lag: CPU per GB of binlog written (%.1f MB in the"
                + " window)", binlogWritten / 1e6), "process", "CPU-s", "CPU-s per GB", "peak RSS (MB)",
                "heap after GC, max (MB)");
        double bridgeCpu = 0;
        double chainCpu = Double.NaN;
        for (ProcessMeter.Usage u : usage) {
            cpuPerGb.put(u.process(), u.cpuSeconds() / gb);
            cpuTable.row(u.process(), u.cpuSeconds(), u.cpuSeconds() / gb, u.peakRssMb(), u.heapAfterGcMaxMb());
            if (u.process().equals(CatchUpScenario.RELAY) || u.process().equals("replayer") || u.process().equals("kafka broker")) {
                bridgeCpu += u.cpuSeconds();
            } else if (u.process().equals("mysqld intermediate replica")) {
                chainCpu = u.cpuSeconds();
            }
        }
        double cpuRatio = bridgeCpu / chainCpu;
        cpuTable.note(String.format("relay-server + Kafka broker + replayer: %s the intermediate replica's CPU.",
                ratio(cpuRatio)));

        Map<String, Object> figures = Json.object("rate", settings.rate(), "threads", settings.sysbenchThreads(),
                "seconds", settings.seconds(), "warmupSeconds", settings.lagWarmupSeconds(), "sysbench", load.toJson(), "durability", durability,
                "binlogMbWritten", binlogWritten / 1e6,
                "lag", rows.stream().map(LagStats::toJson).toList(), "replayerFollowers", 1 + more.size(),
                "replayerLiveTailDelay", tailDelay,
                "ratioP50ReplayerToIntermediateReplica", p50Ratio, "ratioP99ReplayerToIntermediateReplica", p99Ratio,
                "cpuSecondsPerGb", cpuPerGb, "ratioCpuBridgeToIntermediateReplica", cpuRatio,
                "observerFailures", failures(Stream.concat(Stream.of(viaSource, viaReplayer, viaChain, viaTopic),
                        more.stream()).toList()));
        System.out.println("[bench] lag: " + replayer + "; " + (others != null ? others + "; " : "") + topic + "; " + chain);
        return ScenarioResult.of("lag", figures, List.of(lagTable, cpuTable), usage);
    }

    private static Map<String, Object> failures(List<ArrivalObserver> observers) {
        Map<String, Object> failures = new LinkedHashMap<>();
        for (ArrivalObserver o : observers) {
            if (o.failure() != null) {
                failures.put(o.name(), o.failure().toString());
            }
        }
        return failures;
    }
}
