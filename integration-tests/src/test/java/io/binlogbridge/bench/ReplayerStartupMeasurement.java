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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replayer start-up (issue 15), measured by hand: the time from starting replayer.jar to its MySQL port accepting
 * clients, on a small and a large log of one MySQL 8.0 source, reading the whole topic (--no-index-snapshot) and
 * restoring the index snapshot. Run:
 * {@code mvn -B -o -pl integration-tests -am test-compile -Dexec.mainClass=io.binlogbridge.bench.ReplayerStartupMeasurement
 * -Dbench.backlogMb=300,1000} (log sizes in MB, growing; a 10 MB log is measured first). Prints a markdown table for
 * docs/benchmarks.md. With {@code -Dbench.otherReplayerJar=path}, each whole-topic start is followed by one of that jar
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
        List<Long> sizes = new ArrayList<>(List.of(SMALL_MB));
        sizes.addAll(BenchmarkHarness.backlogSizesMb("300"));
        List<String> rows = new ArrayList<>();
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start();
             MySqlServer source = BenchmarkHarness.startBacklogSource("bench-startup")) {
            String smallTopic = null;
            String smallLog = null;
            for (long size : sizes) {
                long bytes = CatchUpScenario.generate(source, size);
                String topic = "startup-" + size + "mb";
                try (MeasuredRelay relay = MeasuredRelay.start(source, kafka, topic, 900 + (int) size, List.of())) {
                    relay.awaitRelayed(Coordinates.endOf(source), Duration.ofMinutes(20));
                }
                rows.addAll(measure(kafka, topic, bytes));
                if (smallTopic == null) {
                    smallTopic = topic;
                    smallLog = String.format("%.0f MB", bytes / 1e6);
                } else {
                    // The control: the small log again, on a machine in the state the big one left it in (the source
                    // flushing what it just wrote, the broker's cleaner on the new topic). What differs from the big
                    // log's own time is the replayer's; what differs from the small log's first time is the machine's.
                    for (int run = 1; run <= RUNS; run++) {
                        rows.add(start(kafka, smallTopic, smallLog, "control after the " + size + " MB log: from the index "
                                + "snapshot, run " + run));
                    }
                }
            }
        }
        printTable(rows);
        System.exit(0);
    }

    static void printTable(List<String> rows) {
        System.out.println("| log | start | time to listening (s) | records read at start | index snapshot |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static List<String> measure(ForkedKafkaBroker kafka, String topic, long bytes) throws Exception {
        String log = String.format("%.0f MB", bytes / 1e6);
        List<String> rows = new ArrayList<>();
        String other = System.getProperty("bench.otherReplayerJar", "").trim();
        for (int run = 1; run <= RUNS; run++) {
            rows.add(start(kafka, topic, log, "whole topic (--no-index-snapshot), run " + run, "--no-index-snapshot"));
            if (!other.isEmpty()) {
                String jar = System.getProperty("replayer.jar");
                System.setProperty("replayer.jar", other);
                try {
                    rows.add(start(kafka, topic, log, "whole topic (--no-index-snapshot), " + other + ", run " + run,
                            "--no-index-snapshot"));
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
        rows.add(start(kafka, topic, log, "whole topic, first snapshot written"));
        for (int run = 1; run <= RUNS; run++) {
            rows.add(start(kafka, topic, log, "from the index snapshot, run " + run));
        }
        return rows;
    }

    static String start(ForkedKafkaBroker kafka, String topic, String log, String what, String... extra) throws Exception {
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
            String row = String.format("| %s | %s | %.2f | %s | %s |", log, what, seconds, records, snapshot);
            System.out.println("[bench] " + row);
            return row;
        } finally {
            replayer.terminate(Duration.ofSeconds(60));
        }
    }
}
