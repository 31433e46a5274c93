package io.binlogbridge.bench;

import static io.binlogbridge.bench.MarkdownTable.ratio;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4b, one big transaction: relay-server with a small heap (bench.bigTxnRelayHeapMb) relays a single
 * transaction of bench.bigTxnMb MB committed on the MySQL source. Does it complete, how long after the commit, and
 * what heap and RSS does it take. Baseline: a raw dump client reading the same transaction from the source.
 */
final class BigTransactionScenario {
    private static final String PHASE = "big transaction";
    /** Rows of 64 KiB, 128 per statement: 8 MiB a statement. RANDOM_BYTES gives at most 1024 bytes a call. */
    private static final String ROW = "CONCAT(" + String.join(", ", Collections.nCopies(64, "RANDOM_BYTES(1024)")) + ")";
    private static final int MB_PER_STATEMENT = 8;

    private BigTransactionScenario() {}

    static ScenarioResult run(BenchSettings settings, ForkedKafkaBroker kafka, MySqlServer source) throws Exception {
        Backlog.createSchema(source);
        source.execute("CREATE TABLE IF NOT EXISTS bench.big (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload LONGBLOB)"
                + " ENGINE=InnoDB");
        List<String> jvmArgs = new ArrayList<>(settings.relayJvmArgs());
        jvmArgs.add("-Xmx" + settings.bigTxnRelayHeapMb() + "m");
        String relayName = CatchUpScenario.RELAY + " (-Xmx" + settings.bigTxnRelayHeapMb() + "m)";
        Coordinates start;
        long transactionBytes;
        double commitSeconds;
        double relaySeconds;
        String error = null;
        boolean outOfMemory;
        List<ProcessMeter.Usage> usage;
        try (MeasuredRelay relay = MeasuredRelay.start(source, kafka, "bench-bigtxn", 901, jvmArgs, "--start", "latest")) {
            relay.awaitReading(Duration.ofSeconds(90));
            try (ProcessMeter.Group meters = new ProcessMeter.Group(PHASE).add(relayName, relay.pid(), relay.gcLog())
                    .add("kafka broker", kafka.pid()).add("mysqld source", source.pid())) {
                start = Coordinates.endOf(source);
                long binlogBefore = Backlog.binlogBytes(source);
                long t0 = System.nanoTime();
                writeOneTransaction(source, settings.bigTxnMb());
                long committed = System.nanoTime();
                commitSeconds = (committed - t0) / 1e9;
                transactionBytes = Backlog.binlogBytes(source) - binlogBefore;
                try {
                    // The only transaction after start: any record that ends past start is (the end of) it.
                    relay.awaitRelayed(new Coordinates(start.file(), start.position() + 1),
                            CatchUpScenario.timeoutFor(transactionBytes));
                } catch (IllegalStateException e) {
                    error = e.getMessage();
                }
                relaySeconds = (System.nanoTime() - committed) / 1e9;
                usage = meters.stop();
                outOfMemory = relay.outOfMemory();
            }
        }
        DumpReader.Received baseline = DumpReader.read(source.port(), MeasuredRelay.SOURCE_USER,
                MeasuredRelay.SOURCE_PASSWORD, 902, start, Long.MAX_VALUE);
        return result(settings, transactionBytes, commitSeconds, relaySeconds, error, outOfMemory, baseline, usage);
    }

    /** One explicit transaction of about {@code megabytes} of row events (MySQL's max_binlog_cache_size default is 16 EiB). */
    private static void writeOneTransaction(MySqlServer source, long megabytes) throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (long written = 0; written < megabytes; written += MB_PER_STATEMENT) {
                s.execute("INSERT INTO bench.big (payload) SELECT " + ROW + " FROM bench.seq WHERE n < 128");
            }
            c.commit();
        }
    }

    private static ScenarioResult result(BenchSettings settings, long transactionBytes, double commitSeconds,
            double relaySeconds, String error, boolean outOfMemory, DumpReader.Received baseline,
            List<ProcessMeter.Usage> usage) {
        ProcessMeter.Usage relay = usage.get(0);
        boolean completed = error == null;
        double relayMbPerSecond = transactionBytes / 1e6 / relaySeconds;
        double speedRatio = relayMbPerSecond / baseline.mbPerSecond();
        Map<String, Object> figures = Json.object("transactionMb", transactionBytes / 1e6,
                "relayHeapMb", settings.bigTxnRelayHeapMb(), "relayCompleted", completed, "relayError", error,
                "relayOutOfMemory", outOfMemory, "sourceCommitSeconds", commitSeconds,
                "relaySecondsAfterCommit", relaySeconds, "relayMbPerSecond", relayMbPerSecond,
                "relayCpuSeconds", relay.cpuSeconds(), "relayCpuSecondsPerGb", relay.cpuSeconds() / (transactionBytes / 1e9),
                "relayHeapAfterGcMaxMb", relay.heapAfterGcMaxMb(),
                "relayHeapBeforeGcMaxMb", relay.heap() == null ? null : relay.heap().maxBeforeGc(),
                "relayPeakRssMb", relay.peakRssMb(),
                "baseline", Json.object("reader", "raw dump client of the source (NON_BLOCK from the transaction's start)",
                        "mb", baseline.bytes() / 1e6, "seconds", baseline.seconds(), "mbPerSecond", baseline.mbPerSecond()),
                "ratioMbPerSecondRelayToBaseline", completed ? speedRatio : null);
        MarkdownTable table = new MarkdownTable(String.format("One %.0f MB transaction through relay-server at -Xmx%dm",
                transactionBytes / 1e6, settings.bigTxnRelayHeapMb()), "reader", "completed", "time after commit (s)", "MB/s",
                "CPU-s", "heap after GC, max (MB)", "peak RSS (MB)", "vs source dump (MB/s)");
        table.row("relay-server to the topic", completed ? "yes" : outOfMemory ? "no: OutOfMemoryError" : "no", relaySeconds,
                relayMbPerSecond, relay.cpuSeconds(), relay.heapAfterGcMaxMb(), relay.peakRssMb(),
                completed ? ratio(speedRatio) : "—");
        table.row("raw dump client of the source", "yes", baseline.seconds(), baseline.mbPerSecond(), "—", "—", "—", "1");
        table.note(String.format("The source took %.1f s to run and commit the transaction.", commitSeconds));
        return ScenarioResult.of("bigtxn", figures, List.of(table), usage);
    }
}
