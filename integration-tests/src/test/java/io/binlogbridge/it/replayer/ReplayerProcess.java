package io.binlogbridge.it.replayer;

import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** replayer.jar in a process of its own, serving a topic on a free port. */
public final class ReplayerProcess implements AutoCloseable {
    public static final String USER = "replica";
    public static final String PASSWORD = "replica-Secret1";

    private final int port;
    private final int httpPort;
    private final Path logFile;
    private final Path usersFile;
    private final Process process;

    private ReplayerProcess(int port, int httpPort, Path logFile, Path usersFile, Process process) {
        this.port = port;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.usersFile = usersFile;
        this.process = process;
    }

    public static ReplayerProcess start(String bootstrap, String topic, String... extra) {
        return launch(TestDirs.newTempDir("replayer"), List.of("-Xmx256m"), bootstrap, topic, extra);
    }

    /** Starts the replayer with these JVM options, its users file and log in {@code dir}; returns once it listens. */
    public static ReplayerProcess launch(Path dir, List<String> jvmArgs, String bootstrap, String topic, String... extra) {
        return begin(dir, jvmArgs, bootstrap, topic, -1, extra).awaitListening(Duration.ofSeconds(60));
    }

    /**
     * Starts the replayer with these JVM options and returns at once, before it listens for MySQL clients (so that
     * its start-up overlaps other work): {@link #awaitListening} waits for that.
     */
    public static ReplayerProcess startInBackground(Path dir, List<String> jvmArgs, String bootstrap, String topic, String... extra) {
        return begin(dir, jvmArgs, bootstrap, topic, -1, extra);
    }

    /**
     * Starts the replayer with its HTTP endpoint ({@code --http-port}) on a free port and returns at once, before it
     * listens for MySQL clients: {@link #awaitListening} waits for that.
     */
    public static ReplayerProcess startWithHttp(String bootstrap, String topic, String... extra) {
        return begin(TestDirs.newTempDir("replayer"), List.of("-Xmx256m"), bootstrap, topic, FreePorts.allocate(), extra);
    }

    /** Starts the replayer with this users file (content) instead of the default one; returns once it listens. */
    public static ReplayerProcess startWithUsers(String usersFile, String bootstrap, String topic, String... extra) {
        return begin(TestDirs.newTempDir("replayer"), List.of("-Xmx256m"), usersFile, bootstrap, topic, -1, extra)
                .awaitListening(Duration.ofSeconds(60));
    }

    /**
     * Starts the replayer with this users file (content) and no {@code --topic}: {@code extra} names what it serves
     * ({@code --cluster NAME=TOPIC ...}). Returns at once, before it listens: {@link #awaitListening} waits for that.
     */
    public static ReplayerProcess startWithoutTopic(String usersFile, String bootstrap, String... extra) {
        return begin(TestDirs.newTempDir("replayer"), List.of("-Xmx256m"), usersFile, bootstrap, null, -1, extra);
    }

    private static ReplayerProcess begin(Path dir, List<String> jvmArgs, String bootstrap, String topic, int httpPort, String... extra) {
        return begin(dir, jvmArgs, "# replicas and CDC clients\n" + USER + ":" + PASSWORD + "\nroot:\n", bootstrap, topic, httpPort, extra);
    }

    private static ReplayerProcess begin(Path dir, List<String> jvmArgs, String usersFile, String bootstrap, String topic, int httpPort,
            String... extra) {
        try {
            Path users = dir.resolve("users");
            Files.writeString(users, usersFile);
            int port = FreePorts.allocate();
            Path jar = Path.of(System.getProperty("replayer.jar", "../replayer/target/replayer.jar"));
            // A JVM started with SIGHUP ignored (the build run under nohup) inherits that and installs no SIGHUP
            // handler; env (which execs, keeping the pid) gives the replayer the default, as a service manager would.
            List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP", Processes.javaLauncher("replayer.java")));
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-jar", jar.toString(), "--kafka-bootstrap", bootstrap));
            if (topic != null) {
                cmd.addAll(List.of("--topic", topic));
            }
            cmd.addAll(List.of("--port", Integer.toString(port), "--users-file", users.toString(), "--bind-address", "127.0.0.1"));
            if (httpPort >= 0) {
                cmd.addAll(List.of("--http-port", Integer.toString(httpPort)));
            }
            cmd.addAll(List.of(extra));
            Path log = TestDirs.logFileFor(dir, "replayer");
            return new ReplayerProcess(port, httpPort, log, users, Processes.start(cmd, log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the replayer accepts MySQL clients; fails with its log if it exits or the time runs out. */
    public ReplayerProcess awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("replayer did not start:\n" + Processes.tail(logFile, 40));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public int port() {
        return port;
    }

    /** The HTTP endpoint's port ({@link #startWithHttp}). */
    public int httpPort() {
        if (httpPort < 0) {
            throw new IllegalStateException("this replayer has no HTTP endpoint: start it with startWithHttp");
        }
        return httpPort;
    }

    /** The {@code --users-file} it reads (tests rewrite it to see it reloaded). */
    public Path usersFile() {
        return usersFile;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        return Processes.tail(logFile, 200);
    }

    /** SIGTERM; waits up to {@code timeout} for the process to end and returns its exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("replayer did not exit within " + timeout + " of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        Processes.terminate(process.toHandle(), Duration.ofSeconds(10));
    }
}
