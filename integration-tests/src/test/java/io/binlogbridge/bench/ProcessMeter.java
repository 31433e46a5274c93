package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.support.GcLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of one process over one phase of a benchmark, from /proc: a daemon thread samples
 * VmRSS every ~100 ms (the peak of a phase, where VmHWM would give the peak of the process's whole life), and the
 * CPU time is utime + stime at {@link #stop()} minus at start. For a JVM with a GC log, also its heap figures over
 * the phase.
 */
final class ProcessMeter implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 100;
    private static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();

    /** What a process used during a phase. */
    record Usage(String process, String phase, double seconds, double cpuSeconds, double jitCpuSeconds, double peakRssMb,
            double lifetimePeakRssMb, GcLog.HeapFigures heap) {
        /** Max heap after GC in MB; NaN without a GC log or without a collection in the phase. */
        double heapAfterGcMaxMb() {
            return heap == null || heap.collections() == 0 ? Double.NaN : heap.maxAfterGc();
        }

        /** The most heap the JVM had committed at a collection in the phase, in MB: the heap's share of RSS. */
        double heapCommittedMaxMb() {
            return heap == null || heap.collections() == 0 ? Double.NaN : heap.committed();
        }

        Map<String, Object> toJson() {
            return Json.object("process", process, "phase", phase, "seconds", seconds, "cpuSeconds", cpuSeconds,
                    "jitCompilerCpuSeconds", jitCpuSeconds, "peakRssMb", peakRssMb, "lifetimePeakRssMb", lifetimePeakRssMb,
                    "heapAfterGcMaxMb", heapAfterGcMaxMb(), "heapBeforeGcMaxMb", heap == null ? null : heap.maxBeforeGc(),
                    "heapCommittedMaxMb", heapCommittedMaxMb(),
                    "gcCollections", heap == null ? null : heap.collections());
        }
    }

    private final String process;
    private final String phase;
    private final long pid;
    private final GcLog gcLog;
    private final int gcMark;
    private final long startNanos;
    private final long startTicks;
    private final Thread sampler;
    private volatile long peakRssKb;
    private volatile long lastTicks;
    /** CPU ticks of each JIT compiler thread seen (the JVM retires idle ones, so the last figure of each is kept). */
    private final Map<Long, Long> jitTicksByThread = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, Long> jitTicksAtStart = new java.util.HashMap<>();
    private volatile boolean stopped;
    private Usage usage;

    private ProcessMeter(String process, String phase, long pid, GcLog gcLog, boolean sinceBirth) {
        this.process = process;
        this.phase = phase;
        this.pid = pid;
        this.gcLog = gcLog;
        this.gcMark = gcLog == null ? 0 : gcLog.mark();
        this.startNanos = System.nanoTime();
        this.startTicks = sinceBirth ? 0 : cpuTicks(pid);
        this.lastTicks = startTicks;
        sample();
        if (!sinceBirth) {
            jitTicksAtStart.putAll(jitTicksByThread);
        }
        this.sampler = new Thread(this::run, "meter-" + process);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts measuring {@code pid} (named {@code process} in the results) for {@code phase}. */
    static ProcessMeter start(String process, String phase, long pid) {
        return new ProcessMeter(process, phase, pid, null, false);
    }

    /** As {@link #start}, for a JVM writing {@code gcLog}. */
    static ProcessMeter start(String process, String phase, long pid, GcLog gcLog) {
        return new ProcessMeter(process, phase, pid, gcLog, false);
    }

    /** As {@link #start}, for a JVM started for this phase: all its CPU time counts, start-up included. */
    static ProcessMeter sinceBirth(String process, String phase, long pid, GcLog gcLog) {
        return new ProcessMeter(process, phase, pid, gcLog, true);
    }

    private void run() {
        while (!stopped) {
            sample();
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long ticks = cpuTicks(pid);
        // A process that has exited reads as 0: keep the last figure it had.
        if (ticks > 0) {
            lastTicks = ticks;
        }
        peakRssKb = Math.max(peakRssKb, statusField(pid, "VmRSS:"));
        sampleJitThreads();
    }

    /** HotSpot names its compiler threads "C1 CompilerThre…" / "C2 CompilerThre…" (15 characters of comm). */
    private void sampleJitThreads() {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] f = statFields(stat);
                        jitTicksByThread.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // keeps its last figure
                }
            });
        } catch (IOException | RuntimeException processGone) {
            // keeps the last figures
        }
    }

    private double jitCpuSeconds() {
        long ticks = 0;
        for (Map.Entry<Long, Long> e : jitTicksByThread.entrySet()) {
            ticks += e.getValue() - jitTicksAtStart.getOrDefault(e.getKey(), 0L);
        }
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Ends the phase (idempotent) and returns what the process used in it. */
    public synchronized Usage stop() {
        if (usage == null) {
            stopped = true;
            sampler.interrupt();
            sample();
            usage = new Usage(process, phase, (System.nanoTime() - startNanos) / 1e9,
                    (lastTicks - startTicks) / (double) CLOCK_TICKS_PER_SECOND, jitCpuSeconds(), peakRssKb / 1024.0,
                    statusField(pid, "VmHWM:") / 1024.0, gcLog == null ? null : gcLog.figuresSince(gcMark));
        }
        return usage;
    }

    @Override
    public void close() {
        stop();
    }

    /** Several meters of one phase, stopped together. */
    static final class Group implements AutoCloseable {
        private final String phase;
        private final List<ProcessMeter> meters = new ArrayList<>();

        Group(String phase) {
            this.phase = phase;
        }

        Group add(String process, long pid) {
            return add(process, pid, null);
        }

        /** A JVM with a GC log; null: none. */
        Group add(String process, long pid, GcLog gcLog) {
            meters.add(start(process, phase, pid, gcLog));
            return this;
        }

        List<Usage> stop() {
            return meters.stream().map(ProcessMeter::stop).toList();
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** Wall time and CPU time of a command run to completion. */
    record Run(double seconds, double cpuSeconds) {}

    /**
     * Runs {@code command} to completion and returns its wall and CPU time. The command runs under a shell that,
     * once it has reaped the command, writes its own /proc/PID/stat: its cutime + cstime are then exactly the
     * command's CPU time (sampling a short-lived process would miss up to one sample period of it).
     */
    static Run runToCompletion(List<String> command, Path logFile, Duration timeout) {
        try {
            Path stat = Files.createTempFile(logFile.getParent(), "stat-", ".txt");
            List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "\"$@\"; rc=$?; cat /proc/$$/stat > '" + stat
                    + "'; exit $rc", "sh"));
            wrapped.addAll(command);
            long t0 = System.nanoTime();
            Processes.run(wrapped, logFile, timeout);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String[] fields = statFields(Files.readString(stat));
            Files.deleteIfExists(stat);
            long childTicks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return new Run(seconds, childTicks / (double) CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** utime + stime of a process in clock ticks; 0 when it is gone. */
    static long cpuTicks(long pid) {
        try {
            String[] fields = statFields(Files.readString(Path.of("/proc/" + pid + "/stat")));
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses): state first. */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** A "kB" field of /proc/PID/status (VmRSS, VmHWM); 0 when the process is gone. */
    private static long statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited
        }
        return 0;
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
