package io.binlogbridge.it.replicas;

import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;

/** source → relay-server → Kafka topic → replayer, all real processes. */
final class Pipeline implements AutoCloseable {
    static final String RELAY_USER = "repl";
    static final String RELAY_PASSWORD = "repl-Secret1";

    final SourceDatabase source;
    final String bootstrap;
    final String topic;
    final RelayProcess relay;
    final ReplayerProcess replayer;

    private Pipeline(SourceDatabase source, String bootstrap, String topic, RelayProcess relay, ReplayerProcess replayer) {
        this.source = source;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.relay = relay;
        this.replayer = replayer;
    }

    /**
     * Starts a relay of {@code source} into {@code topic} (with {@code relayArgs} added) and a replayer of it, once the
     * relay wrote the current end.
     */
    static Pipeline start(SourceDatabase source, String bootstrap, String topic, String... relayArgs) {
        RelayProcess relay = relayOf(source, bootstrap, topic, relayArgs).start();
        try {
            awaitRelayed(source, bootstrap, topic, source.currentBinlogFile(), source.currentBinlogPosition(), relay);
            return new Pipeline(source, bootstrap, topic, relay, ReplayerProcess.start(bootstrap, topic));
        } catch (RuntimeException | Error e) {
            relay.close();
            throw e;
        }
    }

    /**
     * Starts a replayer of {@code topic} before any relay wrote it (the topic need not exist yet); the relay starts
     * with {@link #startRelay()}.
     */
    static Pipeline replayerFirst(SourceDatabase source, String bootstrap, String topic, String... replayerArgs) {
        RelayProcess relay = relayOf(source, bootstrap, topic);
        return new Pipeline(source, bootstrap, topic, relay, ReplayerProcess.start(bootstrap, topic, replayerArgs));
    }

    private static RelayProcess relayOf(SourceDatabase source, String bootstrap, String topic, String... relayArgs) {
        source.createReplicationUser(RELAY_USER, RELAY_PASSWORD);
        return RelayProcess.of(source, RELAY_USER, RELAY_PASSWORD, 4001, bootstrap, topic, relayArgs);
    }

    /** Starts the relay of a pipeline made by {@link #replayerFirst}. */
    void startRelay() {
        relay.start();
    }

    /** Waits until the topic holds the source's binlog up to file:position. */
    void awaitRelayed(String file, long position) {
        awaitRelayed(source, bootstrap, topic, file, position, relay);
    }

    private static void awaitRelayed(SourceDatabase source, String bootstrap, String topic, String file, long position,
            RelayProcess relay) {
        try (TopicContents contents = new TopicContents(bootstrap, topic)) {
            contents.pollUntil(TopicContents.reached(file, position), Duration.ofMinutes(2),
                    "relay to reach " + file + ":" + position);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrelay log:\n" + Processes.tail(relay.logFile(), 60), e);
        }
    }

    /** Fails when the relay or the replayer is no longer running. */
    void assertRunning() {
        if ((relay.started() && !relay.isAlive()) || !replayer.isAlive()) {
            throw new AssertionError((replayer.isAlive() ? "relay-server" : "the replayer") + " exited\n" + logs());
        }
    }

    /** The replayer's and relay's recent logs, for failure messages. */
    String logs() {
        return "replayer log:\n" + replayer.log() + "\nrelay log (tail):\n" + Processes.tail(relay.logFile(), 30);
    }

    @Override
    public void close() {
        Cleanup.closeAll(replayer, relay);
    }
}
