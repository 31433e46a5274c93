package io.binlogbridge.it.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.reader.StartPosition;
import io.binlogbridge.reader.TopicReader;
import io.binlogbridge.reader.TopicReaderConfig;
import io.binlogbridge.reader.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reader over a log of tens of thousands of transactions: every GTID exactly once and in order, decoded and
 * raw-only; prints the throughput of each (docs/reader.md, "Throughput").
 */
class TopicReaderThroughputTest {
    private static final int SMALL_TRANSACTIONS = 20_000;
    private static final int BIG_TRANSACTIONS = 200;
    private static final int ROWS_PER_BIG = 100;

    @Test
    void readsALargeLogExactlyOnceAndReportsItsThroughput() throws Exception {
        KafkaBroker kafka = null;
        MySqlServer source = null;
        RelayProcess relay = null;
        try {
            kafka = KafkaBroker.launch();
            source = MySqlServer.builder().gtid(true).serverId(63).name("mysql-src-reader-bench").start();
            source.createReplicationUser("repl", "repl-Secret1");
            // The binlog's content is what is measured, not the source's fsyncs.
            source.execute("SET GLOBAL sync_binlog = 0", "SET GLOBAL innodb_flush_log_at_trx_commit = 0",
                    "CREATE DATABASE bench", "CREATE TABLE bench.t (id INT PRIMARY KEY, k INT, c VARCHAR(120), pad VARCHAR(900))");
            try (Connection c = source.connect();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO bench.t VALUES (?, ?, ?, ?)")) {
                String c120 = "c".repeat(120);
                for (int i = 0; i < SMALL_TRANSACTIONS; i++) {
                    insert.setInt(1, i);
                    insert.setInt(2, i % 1000);
                    insert.setString(3, c120);
                    insert.setString(4, "");
                    insert.executeUpdate();
                }
                c.setAutoCommit(false);
                String pad = "p".repeat(900);
                for (int t = 0; t < BIG_TRANSACTIONS; t++) {
                    for (int r = 0; r < ROWS_PER_BIG; r++) {
                        insert.setInt(1, SMALL_TRANSACTIONS + t * ROWS_PER_BIG + r);
                        insert.setInt(2, r);
                        insert.setString(3, c120);
                        insert.setString(4, pad);
                        insert.executeUpdate();
                    }
                    c.commit();
                }
            }
            MySqlGtidSet executed = MySqlGtidSet.parse(source.gtidExecuted());
            String endFile = source.currentBinlogFile();
            long endPosition = source.currentBinlogPosition();
            relay = RelayProcess.of(source, "repl", "repl-Secret1", 4302, kafka.bootstrap(), "reader-bench").start();
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), "reader-bench")) {
                contents.pollUntil(TopicContents.reached(endFile, endPosition), Duration.ofMinutes(3), "relay to reach the end");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nrelay log:\n" + Processes.tail(relay.logFile(), 60), e);
            }
            for (boolean decode : new boolean[] {true, false, true, false}) {
                measure(kafka.bootstrap(), decode, executed);
            }
        } finally {
            Cleanup.closeAll(relay, source, kafka);
        }
    }

    /** Reads the whole log; checks every GTID of {@code executed} came once, in order; prints the rates. */
    private static void measure(String bootstrap, boolean decode, MySqlGtidSet executed) {
        long expected = executed.count();
        long began = System.nanoTime();
        long transactions = 0;
        long bytes = 0;
        long events = 0;
        long lastGno = 0;
        try (TopicReader reader = new TopicReader(TopicReaderConfig.builder().bootstrapServers(bootstrap).topic("reader-bench")
                .start(StartPosition.beginning()).decodeEvents(decode).build())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (transactions < expected) {
                assertTrue(System.nanoTime() < deadline, "read " + transactions + " of " + expected + " transactions");
                List<Transaction> got = reader.poll(Duration.ofSeconds(1));
                for (Transaction t : got) {
                    long gno = MySqlGtid.parse(t.gtid()).gno();
                    assertEquals(lastGno + 1, gno, "the GTID after " + lastGno);
                    lastGno = gno;
                    transactions++;
                    bytes += t.size();
                    events += t.events().size();
                }
            }
            assertEquals(expected, transactions);
            assertTrue(reader.poll(Duration.ofMillis(500)).isEmpty(), "nothing after the last transaction");
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("reader throughput (%s): %d transactions, %.1f MB, %d events in %.2f s: %.1f MB/s, %.0f transactions/s%n",
                decode ? "decoded" : "raw only", transactions, bytes / 1e6, events, seconds, bytes / 1e6 / seconds, transactions / seconds);
        if (decode) {
            assertTrue(events > 4 * transactions, "events decoded: " + events);
        }
    }
}
