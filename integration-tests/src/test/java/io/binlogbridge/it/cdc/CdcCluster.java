package io.binlogbridge.it.cdc;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;

/**
 * A MySQL 8.0 (or MariaDB) source relayed into a topic, a replica of the source to serve as the replayer's query backend,
 * and a replayer of the topic with {@code --query-backend} set to that replica: what a CDC user runs.
 */
final class CdcCluster implements AutoCloseable {
    static final String RELAY_USER = "repl";
    static final String RELAY_PASSWORD = "repl-Secret1";
    /** Database {@code shop} with table {@code customers} of the common column types and three rows: what a snapshot reads. */
    static final String[] SHOP_CUSTOMERS = {"CREATE DATABASE shop",
            "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(60), balance DECIMAL(10,2), born DATE,"
                    + " seen DATETIME(3), photo BLOB) ENGINE=InnoDB",
            "INSERT INTO shop.customers VALUES (1, 'Ann', 10.50, '1980-01-02', '2024-01-01 10:00:00.250', X'CAFE'),"
                    + " (2, 'Bob', NULL, NULL, NULL, NULL), (3, 'Cy', -3.00, '2000-02-29', '2038-01-19 03:14:07', X'')"};

    final KafkaBroker kafka;
    final SourceDatabase source;
    final SourceDatabase backend;
    final RelayProcess relay;
    final ReplayerProcess replayer;
    final String topic;

    private CdcCluster(KafkaBroker kafka, SourceDatabase source, SourceDatabase backend, RelayProcess relay, ReplayerProcess replayer,
            String topic) {
        this.kafka = kafka;
        this.source = source;
        this.backend = backend;
        this.relay = relay;
        this.replayer = replayer;
        this.topic = topic;
    }

    /** Starts it all once {@code prepare} has written the source's first data; returns when the relay has it all. */
    static CdcCluster start(String name, java.util.function.Consumer<SourceDatabase> prepare) throws InterruptedException {
        return start(name, false, prepare);
    }

    /** The same with MariaDB 10.11: the backend replicates by {@code MASTER_USE_GTID=slave_pos} and logs what it applies. */
    static CdcCluster startMariaDb(String name, java.util.function.Consumer<SourceDatabase> prepare) throws InterruptedException {
        return start(name, true, prepare);
    }

    private static CdcCluster start(String name, boolean mariaDb, java.util.function.Consumer<SourceDatabase> prepare)
            throws InterruptedException {
        KafkaBroker kafka = KafkaBroker.launch();
        SourceDatabase source = null;
        SourceDatabase backend = null;
        RelayProcess relay = null;
        try {
            source = mariaDb ? MariaDbServer.builder().serverId(1).name(name + "-source").start()
                    : MySqlServer.builder().gtid(true).serverId(1).name(name + "-source").start();
            source.createReplicationUser(RELAY_USER, RELAY_PASSWORD);
            prepare.accept(source);
            relay = RelayProcess.of(source, RELAY_USER, RELAY_PASSWORD, 4141, kafka.bootstrap(), name).start();
            backend = mariaDb
                    ? MariaDbServer.builder().serverId(2).name(name + "-backend")
                            .extraArgs("--relay-log=relay", "--skip-slave-start", "--log-slave-updates").start()
                    : MySqlServer.builder().gtid(true).serverId(2).name(name + "-backend")
                            .extraArgs("--relay-log=relay", "--skip-slave-start").start();
            backend.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port() + ", MASTER_USER='" + RELAY_USER
                    + "', MASTER_PASSWORD='" + RELAY_PASSWORD + "', " + (mariaDb ? "MASTER_USE_GTID=slave_pos" : "MASTER_AUTO_POSITION=1"),
                    "START SLAVE");
            awaitReplicated(source, backend);
            awaitRelayed(kafka, name, source);
            ReplayerProcess replayer = ReplayerProcess.start(kafka.bootstrap(), name,
                    "--query-backend", "127.0.0.1:" + backend.port(), "--query-backend-user", "root");
            return new CdcCluster(kafka, source, backend, relay, replayer, name);
        } catch (RuntimeException | Error | InterruptedException e) {
            Cleanup.closeAll(relay, backend, source, kafka);
            throw e;
        }
    }

    /** Waits until the backend replica has applied everything the source has executed. */
    void awaitBackendCaughtUp() throws InterruptedException {
        awaitReplicated(source, backend);
    }

    /** Waits until the topic holds the source's binlog to its current end. */
    void awaitRelayed() {
        awaitRelayed(kafka, topic, source);
    }

    private static void awaitReplicated(SourceDatabase source, SourceDatabase backend) throws InterruptedException {
        String expected = source.gtidExecuted();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!expected.equals(backend.gtidExecuted())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the backend replica did not reach " + expected + ": " + backend.gtidExecuted());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitRelayed(KafkaBroker kafka, String topic, SourceDatabase source) {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to catch up with the source");
        }
    }

    @Override
    public void close() {
        Cleanup.closeAll(replayer, relay, backend, source, kafka);
    }
}
