package io.binlogbridge.bench;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How cost grows over a log bigger than the machine's disk could hold twice (issue 15), measured by hand. One MySQL
 * 8.0 source and one relay-server running from the first byte while the source writes: the source's binlog is written
 * in chunks, and once the relay holds a chunk the source purges it, so only the topic keeps the whole log (a 50 GB log
 * needs about 55 GB of disk, not 100). At each checkpoint the relay's CPU per GB over the last stretch is reported: if
 * any cost grew with the log, the late stretches would cost more per GB than the early ones. The relay follows a
 * source writing as fast as it can, so each of its transactions is a Kafka transaction of its own: the relay's cost
 * when following, not a catch-up's. Then, on the whole log:
 * <ul>
 * <li>a replayer (-Xmx256m) indexes the whole topic ({@code --no-index-snapshot}): time, RSS, heap after a full GC;</li>
 * <li>one raw dump client reads the whole log through it: replayer CPU per GB sent, peak RSS;</li>
 * <li>a replayer with index snapshots starts once (writing one) and then twice from it: time to listening.</li>
 * </ul>
 * Run {@code mvn -B -o -pl integration-tests test-compile -Dexec.mainClass=io.binlogbridge.bench.LongLogMeasurement
 * -Dbench.checkpointsGb=1,10,25,50} (cumulative log sizes in GB; the last is the log's size; {@code -Dbench.chunkMb},
 * default 4096, is how much binlog the source holds at most). Prints markdown tables for docs/benchmarks.md and writes
 * the figures to {@code integration-tests/target/benchmarks-long-log.json}.
 */
public final class LongLogMeasurement {
    private static final String TOPIC = "long-log";
    private static final Duration CATCH_UP = Duration.ofMinutes(30);

    private LongLogMeasurement() {}

    public static void main(String[] args) throws Exception {
        ResultsFile results = ResultsFile.forMeasurement(LongLogMeasurement.class, "bench.checkpointsGb", "bench.chunkMb");
        List<Double> checkpointsGb = new ArrayList<>();
        for (String gb : BenchSettings.text("bench.checkpointsGb", "1,10,25,50").split(",")) {
            checkpointsGb.add(Double.parseDouble(gb.trim()));
        }
        long chunkBytes = Long.parseLong(BenchSettings.text("bench.chunkMb", "4096")) << 20;
        MarkdownTable relayTable = new MarkdownTable("relay-server following the source, per stretch of the log", "from (GB)",
                "to (GB)", "time (s)", "relay CPU-s per GB", "without JIT", "peak RSS (MB)", "heap after GC, max (MB)");
        MarkdownTable replayerTable = CostGrowthMeasurement.table("The replayer on the whole log");
        MarkdownTable startupTable = ReplayerStartupMeasurement.table("Replayer start-up on the whole log");
        String mysqlVersion;
        try (ForkedKafkaBroker kafka = KafkaBroker.builder().name("bench-kafka").start();
             MySqlServer source = BenchmarkHarness.startBacklogSource("bench-long-log")) {
            mysqlVersion = source.version();
            Backlog.createSchema(source);
            Coordinates first = new Coordinates(source.binlogFiles().get(0).getFileName().toString(), 4);
            long purgedBytes = 0;
            long t0 = System.nanoTime();
            try (MeasuredRelay relay = MeasuredRelay.start(source, kafka, TOPIC, 900, List.of())) {
                ProcessMeter stretch = ProcessMeter.sinceBirth("relay-server", "to " + checkpointsGb.get(0) + " GB",
                        relay.pid(), relay.gcLog());
                long stretchStartBytes = 0;
                double stretchStartSeconds = 0;
                for (double checkpoint : checkpointsGb) {
                    long target = (long) (checkpoint * 1e9);
                    while (purgedBytes + Backlog.binlogBytes(source) < target) {
                        long held = Backlog.binlogBytes(source);
                        long want = Math.min(target - purgedBytes, held + chunkBytes);
                        long g0 = System.nanoTime();
                        long written = Backlog.generate(source, want);
                        Coordinates end = Coordinates.endOf(source);
                        relay.awaitRelayed(end, CATCH_UP);
                        System.out.printf("[bench] %.1f GB written (%.0f MB/s with the relay following), relayed up to %s%n",
                                (purgedBytes + written) / 1e9, (written - held) / 1e6 / ((System.nanoTime() - g0) / 1e9), end);
                        purgedBytes += purgeAllButCurrent(source, relay);
                    }
                    long logBytes = purgedBytes + Backlog.binlogBytes(source);
                    ProcessMeter.Usage used = stretch.stop();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double gb = (logBytes - stretchStartBytes) / 1e9;
                    relayTable.row(stretchStartBytes / 1e9, logBytes / 1e9, seconds - stretchStartSeconds, used.cpuSeconds() / gb,
                            (used.cpuSeconds() - used.jitCpuSeconds()) / gb, used.peakRssMb(), used.heapAfterGcMaxMb());
                    System.out.println("[bench] " + relayTable.lastRow());
                    stretch = ProcessMeter.start("relay-server", "to " + checkpoint + " GB", relay.pid(), relay.gcLog());
                    stretchStartBytes = logBytes;
                    stretchStartSeconds = seconds;
                }
                stretch.stop();
            }
            long logBytes = purgedBytes + Backlog.binlogBytes(source);
            try {
                CostGrowthMeasurement.indexAndRead(kafka, TOPIC, logBytes, first, 7100, replayerTable);
                ReplayerStartupMeasurement.start(kafka, TOPIC, logBytes, "whole topic, first snapshot written", startupTable);
                for (int run = 1; run <= 2; run++) {
                    ReplayerStartupMeasurement.start(kafka, TOPIC, logBytes, "from the index snapshot, run " + run, startupTable);
                }
            } catch (Exception e) {
                // The relay's figures took the better part of an hour: print them whatever became of the replayer.
                e.printStackTrace();
            }
        }
        List<MarkdownTable> tables = List.of(relayTable, replayerTable, startupTable);
        tables.forEach(t -> System.out.println(t.render()));
        System.out.println("[bench] results: " + results.writeTables("long-log", Map.of("mysql", mysqlVersion), tables));
        System.exit(0);
    }

    /**
     * Rotates the source's binlog, waits for the relay to follow into the new file (a dump thread's open file is not
     * purged), and purges every file before it; returns the bytes purged.
     */
    private static long purgeAllButCurrent(MySqlServer source, MeasuredRelay relay) throws InterruptedException {
        source.execute("FLUSH BINARY LOGS");
        Coordinates rotated = Coordinates.endOf(source);
        relay.awaitRelayed(rotated, CATCH_UP);
        long held = Backlog.binlogBytes(source);
        source.execute("PURGE BINARY LOGS TO '" + rotated.file() + "'");
        return held - Backlog.binlogBytes(source);
    }
}
