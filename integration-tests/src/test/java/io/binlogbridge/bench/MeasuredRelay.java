package io.binlogbridge.bench;

import io.binlogbridge.core.relay.TopicTail;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.GcLog;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.schemas.BinlogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** relay-server as the benchmarks run it: a forked JVM with a GC log, exiting on OutOfMemoryError. */
final class MeasuredRelay implements AutoCloseable {
    static final String SOURCE_USER = "repl";
    static final String SOURCE_PASSWORD = "repl-Secret1";
    /** How often the topic's tail is read while waiting: the resolution of the relay's catch-up times. */
    private static final Duration POLL = Duration.ofMillis(250);

    private final RelayProcess process;
    private final GcLog gcLog;
    private final ForkedKafkaBroker kafka;
    private final String topic;

    private MeasuredRelay(RelayProcess process, GcLog gcLog, ForkedKafkaBroker kafka, String topic) {
        this.process = process;
        this.gcLog = gcLog;
        this.kafka = kafka;
        this.topic = topic;
    }

    /**
     * Starts a relay of {@code source} (which has the replication user {@link #SOURCE_USER}) into {@code topic};
     * {@code jvmArgs} come after the defaults, so an -Xmx there wins.
     */
    static MeasuredRelay start(SourceDatabase source, ForkedKafkaBroker kafka, String topic, int serverId,
            List<String> jvmArgs, String... relayArgs) {
        GcLog gcLog = new GcLog(TestDirs.logsDir().resolve("relay-gc-" + topic + "-" + System.nanoTime() + ".log"));
        List<String> options = new ArrayList<>(List.of(gcLog.jvmOption(), "-XX:+ExitOnOutOfMemoryError"));
        options.addAll(jvmArgs);
        RelayProcess process = RelayProcess.of(source, SOURCE_USER, SOURCE_PASSWORD, serverId, kafka.bootstrap(), topic,
                relayArgs).jvmArgs(options.toArray(String[]::new)).start();
        return new MeasuredRelay(process, gcLog, kafka, topic);
    }

    long pid() {
        return process.pid();
    }

    GcLog gcLog() {
        return gcLog;
    }

    String topic() {
        return topic;
    }

    /** Waits until the relay reads the source's binlog (connected, topic checked). */
    void awaitReading(Duration timeout) throws InterruptedException {
        process.awaitLog("reading binlog", timeout);
    }

    /** Waits until the topic's last committed record ends at or after {@code target}; fails if the relay exits. */
    void awaitRelayed(Coordinates target, Duration timeout) throws InterruptedException {
        Properties client = new Properties();
        client.putAll(kafka.clientProperties());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<BinlogRecord> last = lastRecord(client);
            if (last.isPresent() && last.get().getLastChunk()
                    && target.reachedBy(last.get().getFile().toString(), last.get().getEndPosition())) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("relay-server exited before relaying up to " + target + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("relay-server did not relay up to " + target + " within " + timeout
                        + "; last record " + last.map(r -> r.getFile() + ":" + r.getEndPosition()).orElse("none") + "\n" + log());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Optional<BinlogRecord> lastRecord(Properties client) {
        try {
            return TopicTail.lastRecord(client, topic, Duration.ofSeconds(10));
        } catch (RuntimeException topicNotThereYet) {
            return Optional.empty();
        }
    }

    boolean outOfMemory() {
        return process.log().contains("java.lang.OutOfMemoryError");
    }

    String log() {
        return Processes.tail(process.logFile(), 30);
    }

    @Override
    public void close() {
        process.stop();
    }
}
