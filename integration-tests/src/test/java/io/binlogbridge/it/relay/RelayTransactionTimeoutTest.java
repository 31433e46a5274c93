package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.ClientQuotas;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import io.binlogbridge.schemas.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, part 4: the Kafka transaction timeout bounds the time to write one MySQL transaction. The default is
 * the brokers' transaction.max.timeout.ms, more is refused at start, and a transaction that cannot be written in
 * time stops the relay with one line naming it, instead of a restart that would write it just as slowly forever.
 *
 * <p>The broker throttles the relay's producer (a client quota of {@link #BYTES_PER_SECOND}), so 16 MiB take about
 * 16 s to write however fast the machine is, and 300 KB well under the 5 s timeout however loaded it is. Its
 * coordinator looks for timed-out transactions every 500 ms (default 10 s), so the abort comes soon after the timeout.
 */
class RelayTransactionTimeoutTest {
    private static final String SLOW_CLIENT = "slow-relay";
    private static final double BYTES_PER_SECOND = 1 << 20;
    private static final Duration BROKER_MAX = Duration.ofMinutes(5);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static ForkedKafkaBroker kafka;
    private static MySqlServer mysql;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.builder().name("kafka-txn-timeout")
                .property("transaction.max.timeout.ms", Long.toString(BROKER_MAX.toMillis()))
                .property("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                // Rates over 2 one-second samples (default 11): a fresh client's first 10 s of bursts are not free.
                .property("quota.window.num", "2")
                .property("quota.window.size.seconds", "1")
                .start();
        ClientQuotas.throttleProducer(kafka, SLOW_CLIENT, BYTES_PER_SECOND);
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        mysql.execute("CREATE DATABASE tt", "CREATE TABLE tt.t (id INT PRIMARY KEY, b LONGBLOB)");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(mysql, kafka);
    }

    @Test
    void aTransactionThatCannotBeWrittenInTimeStopsTheRelayNamingIt() throws Exception {
        String topic = "too-big";
        Path clientProperties = TestDirs.newTempDir("slow-client").resolve("kafka.properties");
        Files.writeString(clientProperties, "client.id=" + SLOW_CLIENT + "\n");
        try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4601, kafka.bootstrap(), topic,
                        "--transaction-timeout", "5s", "--kafka-properties", clientProperties.toString()).start();
                TopicContents committed = new TopicContents(kafka.bootstrap(), topic)) {
            relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
            assertTrue(relay.log().contains("Kafka transaction timeout 5s (--transaction-timeout; the brokers allow up to 5m)"), relay.log());

            // Fits: 300 KB, two chunks, well under 5 s at 1 MiB/s.
            Workloads.insertInOneTransaction(mysql, "tt.t", 1, 2, 150_000);
            String fitsFile = mysql.currentBinlogFile();
            long fitsEnd = mysql.currentBinlogPosition();
            committed.pollUntil(TopicContents.reached(fitsFile, fitsEnd), Duration.ofSeconds(60), "the transaction that fits");
            assertTrue(relay.isAlive(), relay.log());

            // Does not fit: 16 MiB take about 16 s at 1 MiB/s.
            String bigFile = mysql.currentBinlogFile();
            long bigStart = mysql.currentBinlogPosition();
            Workloads.insertInOneTransaction(mysql, "tt.t", 10, 16, 1 << 20);
            long committedAt = System.nanoTime();
            String bigGtid = lastGtid();
            long bigSize = mysql.currentBinlogPosition() - bigStart;

            int exit = relay.awaitExit(EXIT_TIMEOUT);
            long secondsToExit = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - committedAt);
            String log = relay.log();
            assertEquals(1, exit, "exit code:\n" + log);
            List<String> errors = log.lines().filter(l -> l.startsWith("relay-server: ")).toList();
            assertEquals(1, errors.size(), "one error line:\n" + log);
            String line = errors.get(0);
            System.err.println("[transaction timeout] exit " + exit + " after " + secondsToExit + " s: " + line);
            Matcher m = Pattern.compile("relay-server: transaction " + Pattern.quote(bigGtid) + " \\(" + Pattern.quote(bigFile + ":" + bigStart)
                    + "\\), (\\d+) bytes( so far)?, could not be written to Kafka within the transaction timeout of 5s \\(its Kafka"
                    + " transaction was open [0-9.]+s\\); raise --transaction-timeout \\(the brokers allow up to 5m, transaction.max.timeout.ms\\)")
                    .matcher(line);
            assertTrue(m.matches(), line);
            long bytes = Long.parseLong(m.group(1));
            if (m.group(2) != null) {
                assertTrue(bytes > 0 && bytes < bigSize, "read so far: " + bytes + " of " + bigSize);
            } else {
                assertEquals(bigSize, bytes, "read whole");
            }
            assertFalse(log.contains("took over"), "not reported as a fence:\n" + log);
            assertTrue(secondsToExit < 30, "stopped " + secondsToExit + " s after the commit");

            // Committed readers get every transaction before the big one, once, in order, byte for byte; none of it.
            List<TopicContents.Entry> entries = committed.readToEnd(Duration.ofSeconds(30));
            String uuid = mysql.serverUuid();
            long n = Long.parseLong(bigGtid.substring(bigGtid.lastIndexOf(':') + 1));
            List<String> before = new ArrayList<>();
            for (long i = 1; i < n; i++) {
                before.add(uuid + ":" + i);
            }
            assertEquals(before, LogAssertions.transactionGtids(entries), "the transactions before the big one, each once");
            assertTrue(entries.stream().noneMatch(e -> bigGtid.equals(e.value().getGtid())), "no chunk of " + bigGtid + " is visible");
            byte[] onDisk = Files.readAllBytes(mysql.binlogFiles().stream()
                    .filter(f -> f.getFileName().toString().equals(bigFile)).findFirst().orElseThrow());
            byte[] rebuilt = TopicContents.rebuildFiles(entries).get(bigFile);
            assertArrayEquals(TopicContents.withoutInUseFlag(Arrays.copyOf(onDisk, (int) bigStart)), rebuilt,
                    bigFile + " up to the big transaction");

            // The relay did write part of it: Kafka's abort is what hides it.
            try (TopicContents all = TopicContents.uncommitted(kafka.bootstrap(), topic)) {
                long chunks = all.readToEnd(Duration.ofSeconds(30)).stream()
                        .filter(e -> e.value().getKind() == RecordKind.TRANSACTION && bigGtid.equals(e.value().getGtid())).count();
                assertTrue(chunks > 0, "the big transaction's chunks reached the log before the abort");
            }
        }
    }

    @Test
    void theDefaultIsTheBrokersMaximum() throws Exception {
        String topic = "default-timeout";
        try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4602, kafka.bootstrap(), topic).start();
                TopicContents committed = new TopicContents(kafka.bootstrap(), topic)) {
            relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
            assertTrue(relay.log().contains("Kafka transaction timeout 5m (the brokers' transaction.max.timeout.ms)"), relay.log());
            Workloads.insertInOneTransaction(mysql, "tt.t", 100, 1, 10);
            committed.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofSeconds(60), topic);
            // The coordinator holds what the producer asked for.
            TransactionDescription txn = kafka.admin().describeTransactions(List.of("binlog-bridge-relay-" + topic))
                    .description("binlog-bridge-relay-" + topic).get(30, TimeUnit.SECONDS);
            assertEquals(BROKER_MAX.toMillis(), txn.transactionTimeoutMs());
            relay.stop();
        }
    }

    @Test
    void moreThanTheBrokersAllowIsRefusedAtStart() throws Exception {
        String topic = "above-max";
        try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4603, kafka.bootstrap(), topic,
                "--transaction-timeout", "6m").start()) {
            assertEquals(1, relay.awaitExit(EXIT_TIMEOUT), relay.log());
            List<String> errors = relay.log().lines().filter(l -> l.startsWith("relay-server: ")).toList();
            assertEquals(List.of("relay-server: --transaction-timeout 6m is more than the brokers allow (transaction.max.timeout.ms=300000,"
                    + " 5m): lower it, or raise transaction.max.timeout.ms on the brokers"), errors, relay.log());
            assertFalse(relay.log().contains("\tat "), relay.log());
            assertFalse(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(topic), "nothing created");
        }
    }

    /** The source's last GTID, uuid:N (gtid_executed is one interval here). */
    private static String lastGtid() {
        String executed = mysql.gtidExecuted().replaceAll("\\s", "");
        return mysql.serverUuid() + ":" + executed.substring(executed.lastIndexOf('-') + 1);
    }
}
