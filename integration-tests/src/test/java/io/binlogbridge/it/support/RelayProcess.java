package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** relay-server.jar in a process of its own, as an operator runs it. */
public final class RelayProcess implements AutoCloseable {
    private final List<String> command;
    private final Path logFile;
    private Process process;
    private int httpPort = -1;

    private RelayProcess(List<String> command, Path logFile) {
        this.command = command;
        this.logFile = logFile;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("relay.jar", "../relay-server/target/relay-server.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn package first");
        }
        return jar;
    }

    /** A relay for {@code source} writing {@code topic} on {@code bootstrap}; extra args appended. */
    public static RelayProcess of(SourceDatabase source, String user, String password, int serverId, String bootstrap,
            String topic, String... extra) {
        try {
            Path dir = TestDirs.newTempDir("relay");
            Path passwordFile = dir.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString(),
                    "--source-host", source.host(), "--source-port", Integer.toString(source.port()),
                    "--source-user", user, "--source-password-file", passwordFile.toString(),
                    "--server-id", Integer.toString(serverId), "--topic", topic, "--kafka-bootstrap", bootstrap,
                    "--startup-timeout", "20s", "--heartbeat-period", "1s"));
            cmd.addAll(List.of(extra));
            return new RelayProcess(cmd, TestDirs.logFileFor(dir, "relay"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A relay with exactly these arguments. */
    public static RelayProcess withArgs(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new RelayProcess(cmd, TestDirs.logFileFor(TestDirs.newTempDir("relay"), "relay"));
    }

    /**
     * More JVM options (a GC log, another -Xmx: the last one wins), put before {@code -jar}; call before
     * {@link #start()}.
     */
    public RelayProcess jvmArgs(String... args) {
        command.addAll(command.indexOf("-jar"), List.of(args));
        return this;
    }

    /** Turns on the HTTP endpoint ({@code --http-port}) on a free port; call before {@link #start()}. */
    public RelayProcess withHttpPort() {
        httpPort = io.binlogbridge.it.fixtures.FreePorts.allocate();
        command.addAll(List.of("--http-port", Integer.toString(httpPort)));
        return this;
    }

    /** The HTTP endpoint's port ({@link #withHttpPort()}). */
    public int httpPort() {
        if (httpPort < 0) {
            throw new IllegalStateException("the relay has no HTTP endpoint: withHttpPort() first");
        }
        return httpPort;
    }

    /** The launcher for relay-server: {@code -Drelay.java=…} (another JDK's {@code bin/java}), else the tests' own. */
    static String javaBinary() {
        return Processes.javaLauncher("relay.java");
    }

    public RelayProcess start() {
        process = Processes.start(command, logFile);
        return this;
    }

    /** Whether {@link #start()} was called (the process may have exited since). */
    public boolean started() {
        return process != null;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye. */
    public void kill9() {
        if (process != null) {
            Processes.kill(process.toHandle());
            Processes.waitForExit(process.toHandle(), Duration.ofSeconds(10));
        }
    }

    /** SIGTERM and wait. */
    public void stop() {
        if (process != null) {
            Processes.terminate(process.toHandle(), Duration.ofSeconds(30));
        }
    }

    /** Waits for the process to end on its own and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("relay did not exit within " + timeout + "; log:\n" + log());
        }
        return process.exitValue();
    }

    /** Waits until the relay's log contains {@code text}; fails (with the log) if it exits or the time runs out. */
    public void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (!isAlive()) {
                throw new AssertionError("relay exited (" + process.exitValue() + ") before logging '" + text + "':\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("relay did not log '" + text + "' within " + timeout + ":\n" + log());
            }
            Thread.sleep(50);
        }
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (java.io.IOException e) {
            return "(cannot read " + logFile + ")";
        }
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        if (isAlive()) {
            kill9();
        }
    }
}
