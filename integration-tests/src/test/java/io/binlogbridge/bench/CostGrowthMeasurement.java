package io.binlogbridge.bench;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.GcLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How cost grows with the log (issue 15), measured by hand. One MySQL 8.0 source; for each size (cumulative: each
 * size's topic holds the source's whole binlog so far):
 * <ul>
 * <li>relay-server relays the binlog from a fresh JVM into a topic of its own: CPU-s per GB (JIT included, and
 * apart), peak RSS, heap after GC;</li>
 * <li>a replayer (-Xmx256m, as in the harness) indexes the whole topic ({@code --no-index-snapshot}): its RSS and its
 * heap after a full GC once it listens, i.e. what the index of that much log holds;</li>
 * <li>one raw dump client reads the whole log through that replayer: replayer CPU-s per GB sent, peak RSS and heap
 * while serving.</li>
 * </ul>
 * Run {@code mvn -B -o -pl integration-tests -am test-compile -Dexec.mainClass=io.binlogbridge.bench.CostGrowthMeasurement
 * -Dbench.backlogMb=1000,10000} (sizes in MB, growing). Prints a markdown table for docs/benchmarks.md and writes the
 * figures to {@code integration-tests/target/benchmarks-cost-growth.json}.
 */
public final class CostGrowthMeasurement {
    /** How long a replayer reading a whole topic of tens of GB may take to listen. */
    static final Duration WHOLE_TOPIC_INDEX = Duration.ofMinutes(30);

    private CostGrowthMeasurement() {}

    public static void main(String[] args) throws Exception {
        ResultsFile results = ResultsFile.forMeasurement(CostGrowthMeasurement.class, "bench.backlogMb");
        List<Long> sizes = BenchmarkHarness.backlogSizesMb("1000,10000");
        MarkdownTable table = table("Cost growth: relay-server and the replayer at each log size");
        String mysqlVersion;
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start();
             MySqlServer source = BenchmarkHarness.startBacklogSource("bench-growth")) {
            mysqlVersion = source.version();
            Coordinates first = null;
            for (long size : sizes) {
                long bytes = CatchUpScenario.generate(source, size);
                if (first == null) {
                    first = new Coordinates(source.binlogFiles().get(0).getFileName().toString(), 4);
                }
                String topic = "growth-" + size + "mb";
                double gb = bytes / 1e9;
                CatchUpScenario.RelayRun relayed = CatchUpScenario.relay(source, kafka, topic, Coordinates.endOf(source), bytes,
                        List.of(), List.of(), "relay " + size + " MB");
                relayed.relay().close();
                CatchUpScenario.Copy relay = relayed.copy();
                table.row(bytes / 1e6, "relay-server: relay the whole binlog", relay.seconds(), relay.mbPerSecond(),
                        relay.cpuSeconds() / gb, (relay.cpuSeconds() - relay.jitCpuSeconds()) / gb, relay.peakRssMb(),
                        Double.NaN, relay.heapAfterGcMaxMb(), Double.NaN);
                System.out.println("[bench] " + table.lastRow());

                indexAndRead(kafka, topic, bytes, first, 7000 + (int) (size % 1000), table);
            }
        }
        System.out.println(table.render());
        System.out.println("[bench] results: " + results.writeTables("cost-growth", Map.of("mysql", mysqlVersion), List.of(table)));
        System.exit(0);
    }

    /** The table {@link #indexAndRead} adds its rows to. */
    static MarkdownTable table(String title) {
        return new MarkdownTable(title, "log (MB)", "what", "time (s)", "MB/s", "CPU-s per GB", "without JIT", "peak RSS (MB)",
                "heap committed, max (MB)", "heap after GC, max (MB)", "heap after a full GC (MB)")
                .note("Heap committed: what the JVM had taken for its heap at the phase's collections, the heap's share of"
                        + " RSS. Heap after GC, max: the young collections' upper bound (see Method); heap after a full GC:"
                        + " what is live once the index is built, and once the dump is done.");
    }

    /**
     * A replayer (-Xmx256m) indexes the whole {@code topic} ({@code --no-index-snapshot}); then one raw dump client reads
     * the whole log through it from {@code first}. Adds a row for each to {@code table} (made by {@link #table}).
     */
    static void indexAndRead(ForkedKafkaBroker kafka, String topic, long bytes, Coordinates first, int clientServerId,
            MarkdownTable table) throws Exception {
        double gb = bytes / 1e9;
        long t0 = System.nanoTime();
        try (ReplayerJvm replayer = ReplayerJvm.start(WHOLE_TOPIC_INDEX, kafka.bootstrap(), topic, List.of(),
                "--no-index-snapshot")) {
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            ProcessMeter.Usage indexed = ProcessMeter.sinceBirth("replayer", "index " + topic, replayer.pid(),
                    replayer.gcLog()).stop();
            table.row(bytes / 1e6, "replayer: index the whole topic, to listening", indexSeconds, bytes / 1e6 / indexSeconds,
                    indexed.cpuSeconds() / gb, (indexed.cpuSeconds() - indexed.jitCpuSeconds()) / gb, indexed.lifetimePeakRssMb(),
                    indexed.heapCommittedMaxMb(), indexed.heapAfterGcMaxMb(), heapAfterFullGc(replayer));
            System.out.println("[bench] " + table.lastRow());
            ProcessMeter.Usage served;
            DumpReader.Received received;
            try (ProcessMeter meter = ProcessMeter.start("replayer", "dump " + topic, replayer.pid(), replayer.gcLog())) {
                received = DumpReader.read(replayer.port(), ReplayerJvm.USER, ReplayerJvm.PASSWORD, clientServerId, first,
                        Long.MAX_VALUE);
                served = meter.stop();
            }
            double sentGb = received.bytes() / 1e9;
            // The dump's peak RSS and young-collection figures include garbage a longer read leaves in the old
            // generation: the heap after a full GC once the dump is done tells that apart from anything the log grew.
            table.row(received.bytes() / 1e6, "replayer: one dump client reads it all", received.seconds(),
                    received.mbPerSecond(), served.cpuSeconds() / sentGb, (served.cpuSeconds() - served.jitCpuSeconds()) / sentGb,
                    served.peakRssMb(), served.heapCommittedMaxMb(), served.heapAfterGcMaxMb(), heapAfterFullGc(replayer));
            System.out.println("[bench] " + table.lastRow());
        }
    }

    /** The heap a full collection leaves (what the replayer holds live), from its GC log. */
    private static double heapAfterFullGc(ReplayerJvm replayer) throws Exception {
        GcLog gcLog = replayer.gcLog();
        int mark = gcLog.mark();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(replayer.pid()), "GC.run").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        for (int i = 0; i < 50 && gcLog.figuresSince(mark).collections() == 0; i++) {
            Thread.sleep(100);
        }
        GcLog.HeapFigures after = gcLog.figuresSince(mark);
        return after.collections() == 0 ? Double.NaN : after.maxAfterGc();
    }
}
