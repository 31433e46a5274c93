package io.binlogbridge.it.fanout;

import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.GcLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * replayer.jar started by {@link ReplayerProcess} with a bounded heap (HEAP_MB), a GC log, exit and heap dump on
 * OutOfMemoryError, and optional extra JVM flags (e.g. JFR).
 */
public final class ReplayerJvm implements AutoCloseable {
    public static final String USER = ReplayerProcess.USER;
    public static final String PASSWORD = ReplayerProcess.PASSWORD;
    /**
     * The heap the replayer runs with: issue 5's bound for 50 clients (the JVM's direct memory, which holds the
     * shared log blocks and the packets in flight, defaults to the same size). -Dreplayer.heapMb overrides it.
     */
    public static final int HEAP_MB = Integer.getInteger("replayer.heapMb", 256);

    private final ReplayerProcess process;
    private final Path dir;
    private final GcLog gcLog;

    private ReplayerJvm(ReplayerProcess process, Path dir, GcLog gcLog) {
        this.process = process;
        this.dir = dir;
        this.gcLog = gcLog;
    }

    public static ReplayerJvm start(String bootstrap, String topic, List<String> jvmArgs, String... extra) {
        return start(Duration.ofSeconds(60), bootstrap, topic, jvmArgs, extra);
    }

    /** As {@link #start(String, String, List, String...)}, waiting this long for it to listen (a whole-topic index of a big log). */
    public static ReplayerJvm start(Duration listening, String bootstrap, String topic, List<String> jvmArgs, String... extra) {
        Path dir = TestDirs.newTempDir("replayer-jvm");
        GcLog gcLog = new GcLog(dir.resolve("gc.log"));
        List<String> options = new ArrayList<>(List.of("-Xmx" + HEAP_MB + "m", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + dir, "-XX:+ExitOnOutOfMemoryError", gcLog.jvmOption()));
        options.addAll(jvmArgs);
        String more = System.getProperty("replayer.jvmArgs", "").trim();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        return new ReplayerJvm(ReplayerProcess.startInBackground(dir, options, bootstrap, topic, extra).awaitListening(listening),
                dir, gcLog);
    }

    public int port() {
        return process.port();
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        return process.log();
    }

    /** Heap figures from the GC log, in MB, over the replayer's life. */
    public GcLog.HeapFigures heapFigures() {
        return gcLog.figures();
    }

    /** The replayer's GC log, for the figures of one phase ({@link GcLog#mark()}). */
    public GcLog gcLog() {
        return gcLog;
    }

    /** {@code jcmd <pid> GC.heap_info}, for the record. */
    public String heapInfo() {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    public boolean outOfMemory() {
        try {
            // Not the bare class name: the command line on the log's first line has -XX:+HeapDumpOnOutOfMemoryError.
            return Files.readString(process.logFile()).contains("java.lang.OutOfMemoryError");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
