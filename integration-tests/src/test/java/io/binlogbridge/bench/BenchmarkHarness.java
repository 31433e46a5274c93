package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Issue 5's benchmark harness: binlog-bridge next to MySQL doing the same job, on the same machine, in the same run.
 * <ol>
 * <li>catch-up ingest of a backlog: relay-server vs mariadb-binlog --raw (MariaDB source) and vs a MySQL replica's IO
 * thread (MySQL source);</li>
 * <li>fan-out: 1, 10, 50 dump clients of the replayer vs of the MySQL source;</li>
 * <li>live lag under sysbench: the replayer vs an intermediate MySQL replica;</li>
 * <li>footprint of every process in each of those, and one big transaction through a relay with a small heap.</li>
 * </ol>
 * Writes the raw figures and ratios to {@code integration-tests/target/benchmarks.json} and prints Markdown tables for
 * docs/benchmarks.md. Run it (after {@code mvn -B -o -pl integration-tests -am package -DskipTests -DskipITs=true})
 * with {@code mvn -B -o -pl integration-tests -am test-compile -Dexec.mainClass=io.binlogbridge.bench.BenchmarkHarness};
 * knobs in {@link BenchSettings}, e.g. {@code -Dbench.scenarios=catchup,fanout -Dbench.backlogMb=150}.
 */
public final class BenchmarkHarness {
    /**
     * Sources that generate the backlogs fast: durability is not what is measured (the lag scenario turns it on),
     * and a buffer pool that holds the generator's table.
     */
    static final String[] BACKLOG_SOURCE_ARGS = {"--max-binlog-size=256M", "--innodb-flush-log-at-trx-commit=0",
        "--sync-binlog=0", "--innodb-buffer-pool-size=512M"};
    private static final String MYSQL_TOPIC = "bench-mysql";

    /** A MySQL 8.0 source (GTID) started with {@link #BACKLOG_SOURCE_ARGS}, with the relays' replication user. */
    static MySqlServer startBacklogSource(String name) {
        MySqlServer source = MySqlServer.builder().gtid(true).name(name).extraArgs(BACKLOG_SOURCE_ARGS).start();
        try {
            source.createReplicationUser(MeasuredRelay.SOURCE_USER, MeasuredRelay.SOURCE_PASSWORD);
            return source;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The log sizes in MB of {@code -Dbench.backlogMb} as a comma-separated list, or {@code defaults}. */
    static List<Long> backlogSizesMb(String defaults) {
        String text = System.getProperty("bench.backlogMb", "").trim();
        List<Long> sizes = new java.util.ArrayList<>();
        for (String size : (text.isEmpty() ? defaults : text).split(",")) {
            sizes.add(Long.parseLong(size.trim()));
        }
        return sizes;
    }
    /** Backlog beyond what the fan-out clients read, when no catch-up backlog is generated. */
    private static final long FANOUT_BACKLOG_MARGIN_MB = 16;

    private BenchmarkHarness() {}

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        ResultsFile resultsFile = new ResultsFile(settings.command(), settings.toJson());
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, Object> versions = new LinkedHashMap<>();
        System.out.println("[bench] " + settings.command());
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start()) {
            if (settings.runs("kafka")) {
                results.add(attempt("kafkaFloor", () -> KafkaFloorScenario.run(settings, kafka)));
            }
            if (settings.runs("catchup")) {
                results.add(attempt("catchupMariaDb", () -> CatchUpScenario.mariaDb(settings, kafka)));
            }
            if (settings.runs("archive")) {
                results.add(attempt("archive", () -> ArchiveScenario.run(settings, kafka)));
            }
            try {
                // Every scenario has a MySQL part.
                runOnMySql(settings, kafka, results, versions);
            } catch (Exception e) {
                // The MariaDB figures, if any, are still worth writing out.
                results.add(failed("mysqlSource", e));
            }
        }
        Path out = resultsFile.write(settings.output(), versions, Json.object("scenarios", results.stream().collect(
                Collectors.toMap(ScenarioResult::name, ScenarioResult::toJson, (a, b) -> a, LinkedHashMap::new))));
        printTables(settings, results);
        System.out.println("[bench] results: " + out);
        boolean allCompleted = results.stream().allMatch(ScenarioResult::ok);
        // Tells a script (and Maven) whether every scenario completed.
        System.exit(allCompleted ? 0 : 1);
    }

    /**
     * One MySQL 8.0 source (GTID) for the MySQL scenarios: its backlog is the one the relay catches up on and the fan-out
     * clients read; the relay that caught up keeps relaying it for the replayer.
     */
    private static void runOnMySql(BenchSettings settings, ForkedKafkaBroker kafka, List<ScenarioResult> results,
            Map<String, Object> versions) throws Exception {
        try (MySqlServer source = startBacklogSource("bench-mysql")) {
            versions.put("mysql", source.version());
            long backlogMb = settings.runs("catchup") || settings.runs("reader") ? settings.backlogMb()
                    : settings.runs("fanout") ? settings.fanoutMb() + FANOUT_BACKLOG_MARGIN_MB : 0;
            long backlogBytes = CatchUpScenario.generate(source, backlogMb);
            Coordinates end = Coordinates.endOf(source);
            MeasuredRelay relay = null;
            try {
                if (settings.runs("catchup")) {
                    System.out.println("[bench] scenario catchupMySql");
                    try {
                        List<ProcessMeter.Usage> usage = new ArrayList<>();
                        CatchUpScenario.Copy baseline = CatchUpScenario.replicaIoThread(source, end, backlogBytes, usage);
                        CatchUpScenario.RelayRun run = CatchUpScenario.relay(source, kafka, MYSQL_TOPIC, end, backlogBytes,
                                settings.relayJvmArgs(), settings.relayArgs(), "catch-up (MySQL): relay-server");
                        relay = run.relay();
                        results.add(CatchUpScenario.mySqlResult(source, baseline, run, usage));
                    } catch (Exception e) {
                        results.add(failed("catchupMySql", e));
                    }
                }
                if (settings.runs("fanout") || settings.runs("lag") || settings.runs("reader")) {
                    if (relay == null) {
                        relay = CatchUpScenario.relay(source, kafka, MYSQL_TOPIC, end, backlogBytes, settings.relayJvmArgs(),
                                settings.relayArgs(), "relay start").relay();
                    }
                    if (settings.runs("reader")) {
                        results.add(attempt("reader", () -> ReaderScenario.run(source, kafka.bootstrap(), MYSQL_TOPIC, end)));
                    }
                }
                if (settings.runs("fanout") || settings.runs("lag")) {
                    MeasuredRelay running = relay;
                    try (ReplayerSlot replayers = new ReplayerSlot(kafka, MYSQL_TOPIC, settings)) {
                        if (settings.runs("fanout")) {
                            results.add(attempt("fanout", () -> FanOutScenario.run(settings, source, replayers)));
                        }
                        if (settings.runs("lag")) {
                            results.add(attempt("lag", () -> LagScenario.run(settings, kafka, source, running, replayers)));
                        }
                    }
                }
            } finally {
                if (relay != null) {
                    // Stopped before the big transaction, which would otherwise be relayed twice at once.
                    relay.close();
                }
            }
            if (settings.runs("bigtxn")) {
                results.add(attempt("bigtxn", () -> BigTransactionScenario.run(settings, kafka, source)));
            }
        }
    }

    private static ScenarioResult attempt(String name, Callable<ScenarioResult> scenario) {
        System.out.println("[bench] scenario " + name);
        try {
            return scenario.call();
        } catch (Exception | Error e) {
            return failed(name, e);
        }
    }

    private static ScenarioResult failed(String name, Throwable e) {
        System.out.println("[bench] scenario " + name + " FAILED");
        e.printStackTrace(System.out);
        return ScenarioResult.failed(name, e);
    }

    private static void printTables(BenchSettings settings, List<ScenarioResult> results) {
        StringBuilder out = new StringBuilder("\n## Results\n\n").append(machineLine()).append("\n\n```\n")
                .append(settings.command()).append("\n```\n\n");
        MarkdownTable footprint = new MarkdownTable("Footprint: every measured process, per phase", "phase", "process",
                "wall (s)", "CPU-s", "of which JIT compiler (CPU-s)", "peak RSS (MB)", "heap after GC, max (MB)");
        for (ScenarioResult r : results) {
            if (!r.ok()) {
                out.append("### ").append(r.name()).append(": FAILED\n\n```\n")
                        .append(r.error().lines().limit(8).collect(Collectors.joining("\n"))).append("\n```\n\n");
            }
            r.tables().forEach(t -> out.append(t.render()).append('\n'));
            r.footprint().forEach(u -> footprint.row(u.phase(), u.process(), u.seconds(), u.cpuSeconds(), u.jitCpuSeconds(),
                    u.peakRssMb(), u.heapAfterGcMaxMb()));
        }
        footprint.note("Heap figures come from the JVM's GC log (relay-server, replayer); — : no collection in the phase."
                + " Peak RSS is the highest VmRSS sampled every 100 ms in the phase.");
        out.append(footprint.render());
        System.out.println(out);
    }

    private static String machineLine() {
        return String.format("Machine: %d cores (%s), %s, Java %s.", Runtime.getRuntime().availableProcessors(),
                cpuModel(), memory(), System.getProperty("java.runtime.version"));
    }

    static Map<String, Object> machine(Map<String, Object> versions) {
        Map<String, Object> m = Json.object("cores", Runtime.getRuntime().availableProcessors(), "cpu", cpuModel(),
                "memory", memory(), "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "kafka", AppInfoParser.getVersion(), "mariadb", commandOutput("mariadbd", "--version"),
                "mariadbBinlog", commandOutput("mariadb-binlog", "--version"), "sysbench", Sysbench.version());
        m.putAll(versions);
        return m;
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name");
    }

    private static String memory() {
        String kb = procLine("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        try {
            return String.format("%.1f GiB RAM", Long.parseLong(kb) / (double) (1 << 20));
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    private static String procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line a command prints, for version strings; never throws. */
    static String commandOutput(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return out.lines().findFirst().orElse("");
        } catch (IOException e) {
            return "unavailable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
