package io.binlogbridge.it.cdc;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Debezium's embedded engine in a JVM of its own ({@link DebeziumRecorder}), its offsets and schema history in files that
 * outlive the JVM, so a test can kill it with SIGKILL and start it again where Debezium's own bookkeeping says.
 */
final class DebeziumProcess implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final Path events;
    private final String classpath;
    private Process process;
    private Path logFile;
    private int starts;

    /** {@code settings}: the connector's settings, whose offset and history storage are replaced by files in a new dir. */
    DebeziumProcess(String name, Properties settings, String classpath) {
        this.dir = TestDirs.newTempDir("debezium-" + name);
        this.config = dir.resolve("debezium.properties");
        this.events = dir.resolve("events.txt");
        this.classpath = classpath;
        Properties p = new Properties();
        p.putAll(settings);
        // Saved atomically: the kill tests SIGKILL this JVM, and Connect's own file store can be torn by that.
        p.setProperty("offset.storage", AtomicFileOffsetStore.class.getName());
        p.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, null);
            Files.createFile(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classpath of Debezium's MariaDB connector that module {@code debezium-mariadb-classpath} wrote, with this
     * module's test classes for {@link DebeziumRecorder}.
     */
    static String mariaDbClasspath() {
        Path file = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolveSibling("debezium-mariadb-classpath")
                .resolve("target").resolve("classpath.txt");
        try {
            String testClasses = Path.of(DebeziumRecorder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return Files.readString(file, StandardCharsets.UTF_8).strip() + java.io.File.pathSeparator + testClasses;
        } catch (IOException e) {
            throw new UncheckedIOException("no " + file + ": build module debezium-mariadb-classpath first (mvn -pl integration-tests -am)", e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    DebeziumProcess start() {
        starts++;
        logFile = dir.resolve("debezium-" + starts + ".log");
        process = Processes.start(List.of(Processes.javaLauncher(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, DebeziumRecorder.class.getName(), config.toString(), events.toString()), logFile);
        return this;
    }

    /** SIGKILL: no offset flush, no engine shutdown. */
    void kill() {
        Processes.kill(process.toHandle());
    }

    /** Every line the runs so far appended, in order (a killed run's unfinished last line left out). */
    List<String> lines() {
        try {
            String text = Files.readString(events, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the file holds at least {@code count} lines; fails with the log's tail if the JVM died first. */
    List<String> awaitLines(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines().size() < count) {
            if (!process.isAlive()) {
                throw new AssertionError("Debezium JVM exited " + process.exitValue() + " after " + lines().size()
                        + " of " + count + " events\n" + Processes.tail(logFile, 60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Debezium wrote " + lines().size() + " of " + count + " events\n"
                        + Processes.tail(logFile, 60));
            }
            Thread.sleep(50);
        }
        return lines();
    }

    /**
     * Waits until the engine has committed a streaming offset (a binlog position, no snapshot marker), so that a
     * restart resumes the stream rather than taking the snapshot again.
     */
    void awaitStreamingOffsets(Duration timeout) throws InterruptedException {
        Path offsets = dir.resolve("offsets.dat");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!streamingOffsets(offsets)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Debezium stored no streaming offset in " + timeout + "\n" + Processes.tail(logFile, 60));
            }
            Thread.sleep(50);
        }
    }

    /** The file is the engine's serialized map of JSON offsets: their text is in it as is. */
    private static boolean streamingOffsets(Path offsets) {
        try {
            String text = Files.exists(offsets) ? new String(Files.readAllBytes(offsets), StandardCharsets.ISO_8859_1) : "";
            return text.contains("\"pos\":") && !text.contains("\"snapshot\"");
        } catch (IOException e) {
            return false; // being rewritten
        }
    }

    String logTail() {
        return Processes.tail(logFile, 60);
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.kill(process.toHandle());
        }
    }
}
