package io.binlogbridge.it.archive;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar replayer.jar archive ...} in a process of its own, its output (stdout and stderr) in a log file. */
final class ArchiveRun {
    private final Process process;
    private final Path logFile;
    private final String command;

    private ArchiveRun(Process process, Path logFile, String command) {
        this.process = process;
        this.logFile = logFile;
        this.command = command;
    }

    /**
     * Started with a 64 MiB heap: the archiver streams (one Kafka fetch, one record, one upload part), so a 200 MiB
     * file passes through it.
     */
    static ArchiveRun start(Map<String, String> env, String... args) {
        Path jar = Path.of(System.getProperty("replayer.jar", "../replayer/target/replayer.jar"));
        List<String> cmd = new ArrayList<>(List.of(Processes.javaLauncher(), "-Xmx64m",
                "-jar", jar.toString(), "archive"));
        cmd.addAll(List.of(args));
        Path log = TestDirs.logFileFor(TestDirs.newTempDir("archive"), "archive");
        return new ArchiveRun(Processes.start(cmd, log, env, null), log, "archive " + String.join(" ", args));
    }

    /** Runs to its end; fails if it takes longer than {@code timeout}. */
    static ArchiveRun run(Duration timeout, Map<String, String> env, String... args) throws InterruptedException {
        return start(env, args).await(timeout);
    }

    /** Waits for a run {@link #start started} earlier to end; fails (after kill -9) if it takes longer than {@code timeout}. */
    ArchiveRun await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill9();
            throw new AssertionError(command + " did not finish in " + timeout + ":\n" + tail());
        }
        return this;
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines the archive command itself printed for the user (not log lines): "archive: ...". */
    List<String> userLines() {
        return output().lines().filter(l -> l.startsWith("archive")).toList();
    }

    String tail() {
        return Processes.tail(logFile, 60);
    }
}
