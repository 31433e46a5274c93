package io.binlogbridge.bench;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.GcLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * -Dbench.backlogMb=1000,10000} (sizes in MB, growing). Prints a markdown table for docs/benchmarks.md.
 */
public final class CostGrowthMeasurement {
    /** How long a replayer reading a whole topic of tens of GB may take to listen. */
    static final Duration WHOLE_TOPIC_INDEX = Duration.ofMinutes(30);

    private CostGrowthMeasurement() {}

    public static void main(String[] args) throws Exception {
        List<Long> sizes = BenchmarkHarness.backlogSizesMb("1000,10000");
        List<String> rows = new ArrayList<>();
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start();
             MySqlServer source = BenchmarkHarness.startBacklogSource("bench-growth")) {
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
                rows.add(row(bytes, "relay-server: relay the whole binlog", relay.seconds(), relay.cpuSeconds() / gb,
                        (relay.cpuSeconds() - relay.jitCpuSeconds()) / gb, relay.peakRssMb(), relay.heapAfterGcMaxMb()));
                System.out.println("[bench] " + rows.get(rows.size() - 1));

                rows.addAll(indexAndRead(kafka, topic, bytes, first, 7000 + (int) (size % 1000)));
            }
        }
        printTable(rows);
        System.exit(0);
    }

    /**
     * A replayer (-Xmx256m) indexes the whole {@code topic} ({@code --no-index-snapshot}); then one raw dump client reads
     * the whole log through it from {@code first}. Returns a table row for each.
     */
    static List<String> indexAndRead(ForkedKafkaBroker kafka, String topic, long bytes, Coordinates first, int clientServerId)
            throws Exception {
        List<String> rows = new ArrayList<>();
        double gb = bytes / 1e9;
        long t0 = System.nanoTime();
        try (ReplayerJvm replayer = ReplayerJvm.start(WHOLE_TOPIC_INDEX, kafka.bootstrap(), topic, List.of(),
                "--no-index-snapshot")) {
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            ProcessMeter.Usage indexed = ProcessMeter.sinceBirth("replayer", "index " + topic, replayer.pid(),
                    replayer.gcLog()).stop();
            rows.add(row(bytes, "replayer: index the whole topic, to listening", indexSeconds, indexed.cpuSeconds() / gb,
                    (indexed.cpuSeconds() - indexed.jitCpuSeconds()) / gb, indexed.lifetimePeakRssMb(),
                    heapAfterFullGc(replayer)));
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
            double liveAfterDump = heapAfterFullGc(replayer);
            rows.add(row(received.bytes(), String.format(
                    "replayer: one dump client reads it all (%.0f MB/s; heap after a full GC once done: %.0f MB)",
                    received.mbPerSecond(), liveAfterDump), received.seconds(), served.cpuSeconds() / sentGb,
                    (served.cpuSeconds() - served.jitCpuSeconds()) / sentGb, served.peakRssMb(), served.heapAfterGcMaxMb()));
        }
        rows.forEach(r -> System.out.println("[bench] " + r));
        return rows;
    }

    static void printTable(List<String> rows) {
        System.out.println("| log (MB) | what | time (s) | CPU-s per GB | without JIT | peak RSS (MB) | heap after GC (MB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(long bytes, String what, double seconds, double cpuPerGb, double cpuPerGbWithoutJit,
            double peakRssMb, double heapMb) {
        return String.format("| %.0f | %s | %.1f | %.2f | %.2f | %.0f | %s |", bytes / 1e6, what, seconds, cpuPerGb,
                cpuPerGbWithoutJit, peakRssMb, megabytes(heapMb));
    }

    /** A figure in whole MB, or a dash where the GC log had none. */
    static String megabytes(double mb) {
        return Double.isNaN(mb) ? "—" : String.format("%.0f", mb);
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
