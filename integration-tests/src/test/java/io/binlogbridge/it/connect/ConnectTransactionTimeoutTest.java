package io.binlogbridge.it.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.ClientQuotas;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, part 4, in the connector: with exactly-once, the worker's producer owns the Kafka transaction, and
 * {@code producer.override.transaction.timeout.ms} (Connect's client override, which the connector reads too) bounds
 * the time to write one MySQL transaction. One that cannot be written in time fails the task, naming it and the
 * key; committed readers see none of it. Validation refuses a timeout the brokers would refuse.
 *
 * <p>As in RelayTransactionTimeoutTest, a client quota on the task's producer makes 16 MiB take about 16 s to write.
 */
class ConnectTransactionTimeoutTest {
    private static final String SLOW_CLIENT = "slow-connect";
    private static final String KEY = "producer.override.transaction.timeout.ms";
    private static ForkedKafkaBroker kafka;
    private static ConnectWorker worker;
    private static MySqlServer mysql;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.builder().name("kafka-connect-txn-timeout")
                .property("transaction.max.timeout.ms", "300000")
                .property("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .property("quota.window.num", "2")
                .property("quota.window.size.seconds", "1")
                .start();
        ClientQuotas.throttleProducer(kafka, SLOW_CLIENT, 1 << 20);
        worker = new ConnectWorker(kafka.bootstrap(), "bb-connect-txn-timeout").start();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        mysql.execute("CREATE DATABASE ct", "CREATE TABLE ct.t (id INT PRIMARY KEY, b LONGBLOB)");
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (mysql != null) {
            mysql.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aTransactionThatCannotBeWrittenInTimeFailsTheTaskNamingIt() throws Exception {
        String topic = "connect-too-big";
        Map<String, String> config = ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4701, kafka.bootstrap(), topic);
        config.put(KEY, "5000");
        config.put("producer.override.client.id", SLOW_CLIENT);
        // A small producer buffer and poll batch: Connect's send blocks while the quota holds the data back, so the
        // task is polled while the big transaction is being written, as with a transaction far larger than the buffer.
        config.put("producer.override.buffer.memory", Integer.toString(2 << 20));
        config.put("poll.max.bytes", Integer.toString(1 << 20));
        worker.deploy(topic, config);
        worker.awaitTaskRunning(topic, Duration.ofSeconds(60));
        worker.awaitLog("Kafka transaction timeout 5s (" + KEY + ")", 1, Duration.ofSeconds(60));
        try (TopicContents committed = new TopicContents(kafka.bootstrap(), topic)) {
            Workloads.insertInOneTransaction(mysql, "ct.t", 1, 2, 150_000);
            committed.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()),
                    Duration.ofSeconds(60), "the transaction that fits");
            worker.awaitTaskRunning(topic, Duration.ofSeconds(5));

            String bigFile = mysql.currentBinlogFile();
            long bigStart = mysql.currentBinlogPosition();
            Workloads.insertInOneTransaction(mysql, "ct.t", 10, 16, 1 << 20);
            long committedAt = System.nanoTime();
            String executed = mysql.gtidExecuted().replaceAll("\\s", "");
            String bigGtid = mysql.serverUuid() + ":" + executed.substring(executed.lastIndexOf('-') + 1);

            // The task's own failure when it is polled past the timeout; Connect's "transaction expired" when the
            // producer met the abort first. Either way the task logs one line naming the transaction and the key.
            Pattern line = Pattern.compile("transaction " + Pattern.quote(bigGtid + " (" + bigFile + ":" + bigStart + ")")
                    + ", \\d+ bytes( so far)?, could not be written to Kafka within the transaction timeout of 5s \\(its Kafka"
                    + " transaction was open [0-9.]+s\\); raise " + Pattern.quote(KEY));
            String named = null;
            while (named == null) {
                named = worker.log().lines().filter(l -> l.contains("ERROR") && l.contains("BinlogSourceTask") && line.matcher(l).find())
                        .findFirst().orElse(null);
                assertTrue(named != null || System.nanoTime() - committedAt < TimeUnit.SECONDS.toNanos(60),
                        "no line naming " + bigGtid + " within 60 s:\n" + worker.logTail(80));
                Thread.sleep(200);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - committedAt);
            // Connect reports FAILED once it has closed the task's producer, which waits up to 30 s for throttled sends.
            String status = worker.awaitTaskFailed(topic, Duration.ofSeconds(90));
            System.err.println("[connect transaction timeout] " + seconds + " s after the commit: " + named);
            assertTrue(line.matcher(status).find() || status.contains("before its producer transaction expired"), status);
            assertTrue(seconds < 30, "named " + seconds + " s after the commit");

            List<TopicContents.Entry> entries = committed.readToEnd(Duration.ofSeconds(30));
            long n = Long.parseLong(bigGtid.substring(bigGtid.lastIndexOf(':') + 1));
            List<String> before = new ArrayList<>();
            for (long i = 1; i < n; i++) {
                before.add(mysql.serverUuid() + ":" + i);
            }
            assertEquals(before, LogAssertions.transactionGtids(entries), "the transactions before the big one, each once");
            assertTrue(entries.stream().noneMatch(e -> bigGtid.equals(e.value().getGtid())), "no chunk of " + bigGtid + " is visible");
            byte[] onDisk = Files.readAllBytes(mysql.binlogFiles().stream()
                    .filter(f -> f.getFileName().toString().equals(bigFile)).findFirst().orElseThrow());
            assertArrayEquals(TopicContents.withoutInUseFlag(Arrays.copyOf(onDisk, (int) bigStart)),
                    TopicContents.rebuildFiles(entries).get(bigFile), bigFile + " up to the big transaction");
        }
    }

    @Test
    void validationRefusesATimeoutTheBrokersWouldRefuse() throws Exception {
        Map<String, String> config = new LinkedHashMap<>(ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4702, kafka.bootstrap(),
                "connect-validate-timeout"));
        config.put("name", "connect-validate-timeout");
        config.put(KEY, "300000");
        String good = validate(config);
        assertTrue(Pattern.compile("\"error_count\"\\s*:\\s*0\\b").matcher(good).find(), good);
        config.put(KEY, "600000");
        String r = validate(config);
        assertTrue(r.contains(KEY + "=600000 is more than the brokers allow (transaction.max.timeout.ms=300000)"), r);
    }

    private static String validate(Map<String, String> config) throws Exception {
        HttpResponse<String> r = worker.put("/connector-plugins/BinlogSourceConnector/config/validate", ConnectWorker.json(config));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
