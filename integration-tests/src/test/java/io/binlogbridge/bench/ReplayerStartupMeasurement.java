package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replayer start-up (issue 15), measured by hand: the time from starting replayer.jar to its MySQL port accepting
 * clients, on a small and a large log of one MySQL 8.0 source, reading the whole topic (--no-index-snapshot) and
 * restoring the index snapshot. Run:
 * {@code mvn -B -o -pl integration-tests -am test-compile -Dexec.mainClass=io.binlogbridge.bench.ReplayerStartupMeasurement
 * -Dbench.backlogMb=300,1000} (log sizes in MB, growing; a 10 MB log is measured first). Prints a markdown table for
 * docs/benchmarks.md and writes the figures to {@code integration-tests/target/benchmarks-replayer-startup.json}. With {@code -Dbench.otherReplayerJar=path}, each whole-topic start is followed by one of that jar
 * (an older build, say), so that both read the same topics on the machine in the same state.
 */
public final class ReplayerStartupMeasurement {
    private static final long SMALL_MB = 10;
    private static final int RUNS = 3;
    private static final Pattern WROTE = Pattern.compile("wrote the index snapshot of topic \\S+ to \\S+: records before offset (\\d+), "
            + "(\\d+) binlog files, (\\d+) bytes in (\\d+) chunk\\(s\\), (\\d+) ms");
    private static final Pattern INDEXED = Pattern.compile("indexed (\\d+) records of topic \\S+ from offset (\\d+) to (\\d+) in (\\d+) ms");

    private ReplayerStartupMeasurement() {}

    public static void main(String[] args) throws Exception {
        ResultsFile results = ResultsFile.forMeasurement(ReplayerStartupMeasurement.class, "bench.backlogMb",
                "bench.otherReplayerJar");
        List<Long> sizes = new ArrayList<>(List.of(SMALL_MB));
        sizes.addAll(BenchmarkHarness.backlogSizesMb("300"));
        MarkdownTable table = table("Replayer start-up: reading the whole topic vs the index snapshot");
        String mysqlVersion;
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start();
             MySqlServer source = BenchmarkHarness.startBacklogSource("bench-startup")) {
            mysqlVersion = source.version();
            String smallTopic = null;
            long smallBytes = 0;
            for (long size : sizes) {
                long bytes = CatchUpScenario.generate(source, size);
                String topic = "startup-" + size + "mb";
                try (MeasuredRelay relay = MeasuredRelay.start(source, kafka, topic, 900 + (int) size, List.of())) {
                    relay.awaitRelayed(Coordinates.endOf(source), Duration.ofMinutes(20));
                }
                measure(kafka, topic, bytes, table);
                if (smallTopic == null) {
                    smallTopic = topic;
                    smallBytes = bytes;
                } else {
                    // The control: the small log again, on a machine in the state the big one left it in (the source
                    // flushing what it just wrote, the broker's cleaner on the new topic). What differs from the big
                    // log's own time is the replayer's; what differs from the small log's first time is the machine's.
                    for (int run = 1; run <= RUNS; run++) {
                        start(kafka, smallTopic, smallBytes, "control after the " + size + " MB log: from the index "
                                + "snapshot, run " + run, table);
                    }
                }
            }
        }
        System.out.println(table.render());
        System.out.println("[bench] results: " + results.writeTables("replayer-startup", Map.of("mysql", mysqlVersion),
                List.of(table)));
        System.exit(0);
    }

    /** The table {@link #start} adds its rows to. */
    static MarkdownTable table(String title) {
        return new MarkdownTable(title, "log (MB)", "start", "time to listening (s)", "records read at start", "index snapshot");
    }

    private static void measure(ForkedKafkaBroker kafka, String topic, long bytes, MarkdownTable table) throws Exception {
        String other = System.getProperty("bench.otherReplayerJar", "").trim();
        for (int run = 1; run <= RUNS; run++) {
            start(kafka, topic, bytes, "whole topic (--no-index-snapshot), run " + run, table, "--no-index-snapshot");
            if (!other.isEmpty()) {
                String jar = System.getProperty("replayer.jar");
                System.setProperty("replayer.jar", other);
                try {
                    start(kafka, topic, bytes, "whole topic (--no-index-snapshot), " + other + ", run " + run, table,
                            "--no-index-snapshot");
                } finally {
                    if (jar == null) {
                        System.clearProperty("replayer.jar");
                    } else {
                        System.setProperty("replayer.jar", jar);
                    }
                }
            }
        }
        // The first start with snapshots reads everything, then writes one.
        start(kafka, topic, bytes, "whole topic, first snapshot written", table);
        for (int run = 1; run <= RUNS; run++) {
            start(kafka, topic, bytes, "from the index snapshot, run " + run, table);
        }
    }

    /** Starts a replayer on {@code topic} (a log of {@code bytes}) and adds a row to {@code table} (made by {@link #table}). */
    static void start(ForkedKafkaBroker kafka, String topic, long bytes, String what, MarkdownTable table, String... extra)
            throws Exception {
        long t0 = System.nanoTime();
        ReplayerProcess replayer = ReplayerProcess.startInBackground(TestDirs.newTempDir("replayer-startup"), List.of("-Xmx512m"),
                kafka.bootstrap(), topic, extra).awaitListening(CostGrowthMeasurement.WHOLE_TOPIC_INDEX);
        double seconds = (System.nanoTime() - t0) / 1e9;
        try {
            String snapshot = "";
            if (extra.length == 0) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                Matcher wrote = WROTE.matcher("");
                while (System.nanoTime() < deadline && !(wrote = WROTE.matcher(Files.readString(replayer.logFile()))).find()
                        && !Files.readString(replayer.logFile()).contains("restored the index")) {
                    Thread.sleep(100);
                }
                snapshot = wrote.find(0) ? String.format("written: %s bytes, %s files, %s ms", wrote.group(3), wrote.group(2), wrote.group(5))
                        : "restored";
            }
            Matcher indexed = INDEXED.matcher(Files.readString(replayer.logFile()));
            String records = indexed.find() ? indexed.group(1) + " (offsets " + indexed.group(2) + ".." + indexed.group(3) + ", "
                    + indexed.group(4) + " ms)" : "?";
            table.row(bytes / 1e6, what, seconds, records, snapshot);
            System.out.println("[bench] " + table.lastRow());
        } finally {
            replayer.terminate(Duration.ofSeconds(60));
        }
    }
}
