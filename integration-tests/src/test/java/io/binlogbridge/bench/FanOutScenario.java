package io.binlogbridge.bench;

import static io.binlogbridge.bench.MarkdownTable.ratio;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.GcLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Scenario 2, fan-out: N concurrent raw dump clients read the start of the MySQL source's backlog, from the replayer
 * and then from the source itself, for each N of bench.fanoutClients. Every client sends a NON_BLOCK dump from the
 * first binlog file and closes its connection once bench.fanoutMb MB of events arrived (or the log ended), on both
 * sides alike.
 */
final class FanOutScenario {
    private static final String PHASE = "fan-out";

    private FanOutScenario() {}

    /** N clients through one server. NaN/null where not measured (the source has no GC log). */
    record Run(String via, int clients, long bytes, double seconds, double meanClientMbPerSecond,
            double slowestClientMbPerSecond, ProcessMeter.Usage server, ProcessMeter.Usage clientSide, String error) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double serverCpuSecondsPerGb() {
            return server.cpuSeconds() / (bytes / 1e9);
        }

        Map<String, Object> toJson() {
            return Json.object("via", via, "clients", clients, "completed", error == null, "error", error,
                    "mb", bytes / 1e6, "seconds", seconds, "aggregateMbPerSecond", mbPerSecond(),
                    "meanClientMbPerSecond", meanClientMbPerSecond, "slowestClientMbPerSecond", slowestClientMbPerSecond,
                    "serverCpuSeconds", server.cpuSeconds(), "serverCpuSecondsPerGb", serverCpuSecondsPerGb(),
                    "serverPeakRssMb", server.peakRssMb(), "serverHeapAfterGcMaxMb", server.heapAfterGcMaxMb(),
                    "clientCpuSeconds", clientSide.cpuSeconds());
        }
    }

    /** The server side of a run: where the clients connect and which process serves them. */
    private record Server(String name, String process, int port, String user, String password, long pid, GcLog gcLog,
            Supplier<String> postMortem) {}

    static ScenarioResult run(BenchSettings settings, MySqlServer source, ReplayerSlot replayers) throws Exception {
        Coordinates from = new Coordinates(source.binlogFiles().get(0).getFileName().toString(), 4);
        long limit = settings.fanoutMb() << 20;
        List<Run> runs = new ArrayList<>();
        List<ProcessMeter.Usage> footprint = new ArrayList<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        MarkdownTable table = new MarkdownTable(String.format("Fan-out: N dump clients each read the first %d MB of the"
                + " backlog (NON_BLOCK from %s)", settings.fanoutMb(), from), "clients", "via", "MB read", "time (s)",
                "aggregate MB/s", "per client MB/s (mean / slowest)", "server CPU-s", "server CPU-s per GB",
                "server peak RSS (MB)", "heap after GC, max (MB)", "replayer / source (aggregate)");
        Server viaSourceServer = new Server("source", "mysqld source", source.port(), MeasuredRelay.SOURCE_USER,
                MeasuredRelay.SOURCE_PASSWORD, source.pid(), null, () -> "source running: " + source.isRunning());
        int serverIdBase = 10_000;
        Map<String, Object> firstRead = new LinkedHashMap<>();
        for (int clients : settings.fanoutClients()) {
            ReplayerJvm replayer = replayers.get();
            Server viaReplayerServer = new Server("replayer", "replayer", replayer.port(), ReplayerJvm.USER,
                    ReplayerJvm.PASSWORD, replayer.pid(), replayer.gcLog(), () -> (replayer.isAlive() ? "replayer running" : "replayer exited")
                            + (replayer.outOfMemory() ? ", OutOfMemoryError in its log" : ""));
            if (firstRead.isEmpty()) {
                // The replayer's first dump pays for its JIT compilation, the source's for nothing: that read is
                // reported on its own row (what a freshly started replayer gives its first client), then the runs.
                Run firstViaReplayer = run(viaReplayerServer, "first read", 1, from, limit, serverIdBase++);
                Run firstViaSource = run(viaSourceServer, "first read", 1, from, limit, serverIdBase++);
                double r = firstViaReplayer.mbPerSecond() / firstViaSource.mbPerSecond();
                for (Run run : List.of(firstViaReplayer, firstViaSource)) {
                    if (run.error() != null) {
                        throw new IllegalStateException("the first read via " + run.via() + " failed: " + run.error());
                    }
                    footprint.add(run.server());
                    footprint.add(run.clientSide());
                    row(table, "1, first read", run, run == firstViaReplayer ? ratio(r) : "");
                }
                firstRead.putAll(Json.object("replayer", firstViaReplayer.toJson(), "source", firstViaSource.toJson(),
                        "ratioReplayerToSource", r));
            }
            Run viaReplayer = run(viaReplayerServer, Integer.toString(clients), clients, from, limit, serverIdBase);
            Run viaSource = run(viaSourceServer, Integer.toString(clients), clients, from, limit, serverIdBase + clients);
            serverIdBase += 2 * clients;
            double r = viaReplayer.mbPerSecond() / viaSource.mbPerSecond();
            ratios.put(Integer.toString(clients), viaReplayer.error() == null ? r : null);
            for (Run run : List.of(viaReplayer, viaSource)) {
                runs.add(run);
                footprint.add(run.server());
                footprint.add(run.clientSide());
                row(table, clients, run, run == viaReplayer && run.error() == null ? ratio(r) : "");
            }
        }
        table.note("Replayer heap: -Xmx" + settings.replayerHeapMb() + "m. Server CPU is the replayer's or the source"
                + " mysqld's during the run; the clients run in the benchmark's JVM.");
        Map<String, Object> figures = Json.object("fromCoordinates", from.toString(), "limitMbPerClient", settings.fanoutMb(),
                "stopRule", "each client closes once bench.fanoutMb MB of events arrived (or at EOF), via both servers",
                "firstRead", firstRead,
                "warmUp", "one client read the same bytes from each server before the first run (firstRead: the"
                        + " replayer's first dump since it started)",
                "replayerHeapMb", settings.replayerHeapMb(),
                "runs", runs.stream().map(Run::toJson).toList(), "ratioAggregateReplayerToSource", ratios);
        return ScenarioResult.of("fanout", figures, List.of(table), footprint);
    }

    private static void row(MarkdownTable table, Object clients, Run run, String ratio) {
        table.row(clients, run.via() + (run.error() == null ? "" : " (failed: " + run.error() + ")"),
                run.bytes() / 1e6, run.seconds(), run.mbPerSecond(),
                MarkdownTable.number(run.meanClientMbPerSecond()) + " / "
                        + MarkdownTable.number(run.slowestClientMbPerSecond()),
                run.server().cpuSeconds(), run.serverCpuSecondsPerGb(), run.server().peakRssMb(),
                run.server().heapAfterGcMaxMb(), ratio);
    }

    private static Run run(Server server, String label, int clients, Coordinates from, long limit, int serverIdBase)
            throws Exception {
        String phase = PHASE + " " + label + " via " + server.name();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (ProcessMeter serverMeter = ProcessMeter.start(server.process(), phase, server.pid(), server.gcLog());
                ProcessMeter clientMeter = ProcessMeter.start("dump clients (benchmark JVM)", phase,
                        ProcessHandle.current().pid())) {
            long t0 = System.nanoTime();
            List<Future<DumpReader.Received>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int serverId = serverIdBase + i;
                futures.add(pool.submit(() -> DumpReader.read(server.port(), server.user(), server.password(), serverId,
                        from, limit)));
            }
            long bytes = 0;
            double sumRates = 0;
            double slowest = Double.NaN;
            int failed = 0;
            String error = null;
            for (Future<DumpReader.Received> f : futures) {
                try {
                    DumpReader.Received r = f.get();
                    bytes += r.bytes();
                    sumRates += r.mbPerSecond();
                    slowest = Double.isNaN(slowest) ? r.mbPerSecond() : Math.min(slowest, r.mbPerSecond());
                } catch (ExecutionException e) {
                    if (failed++ == 0) {
                        error = e.getCause().toString();
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failed > 0) {
                error = failed + " of " + clients + " clients failed (" + server.postMortem().get() + "), first: " + error;
            }
            Run run = new Run(server.name(), clients, bytes, seconds, sumRates / (clients - failed), slowest,
                    serverMeter.stop(), clientMeter.stop(), error);
            System.out.printf("[bench] %s: %.0f MB in %.2f s = %.0f MB/s%s%n", phase, bytes / 1e6, seconds,
                    run.mbPerSecond(), error == null ? "" : " FAILED " + error);
            return run;
        } finally {
            pool.shutdownNow();
        }
    }
}
