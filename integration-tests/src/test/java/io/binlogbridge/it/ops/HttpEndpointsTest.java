package io.binlogbridge.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fanout.DumpDigest;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Chromium;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.OpsHttp;
import io.binlogbridge.it.support.OpsHttp.Answer;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.SourceLoad;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTTP endpoint of relay-server and the replayer (--http-port) on real servers: a MariaDB source under a write
 * load, a Kafka broker, the relay and the replayer as processes. /ready flips from 503 to 200 during start-up; the
 * relay's byte and transaction counters equal what the topic holds at a quiet point; a dump client's bytes show in the
 * replayer's counter; /status parses and names the dump; /metrics has the JVM's figures; the relay logs progress
 * lines and rotates; the status page at / of each names the chain's parts and renders in Chromium (screenshots in
 * {@code integration-tests/target/screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpEndpointsTest {
    private static final String TOPIC = "ops-http";
    private static final int DUMP_SERVER_ID = 9101;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaBroker kafka;
    private static MariaDbServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;

    @BeforeAll
    static void setUp() {
        kafka = KafkaBroker.launch();
        source = MariaDbServer.startDefault();
        source.createReplicationUser("repl", "repl-Secret1");
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(replayer, relay, source, kafka);
    }

    private static void assertNotReadyAnswers(List<Answer> before, String process) {
        assertFalse(before.isEmpty(), process + ": /ready answered 200 at its first answer; expected 503 during start-up");
        for (Answer a : before) {
            assertEquals(503, a.status(), process + ": " + a);
            assertEquals(1, a.body().strip().lines().count(), process + ": one line: " + a);
            assertFalse(a.body().isBlank(), process + ": a reason: " + a);
        }
    }

    @Test
    @Order(1)
    void relayIsReadyOnceStreamingAndCountsExactlyWhatTheTopicHolds() throws Exception {
        SourceLoad load = SourceLoad.start(source, Duration.ofSeconds(4), false);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (load.transactions() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(50); // a backlog for the relay to catch up on
            }
            relay = RelayProcess.of(source, "repl", "repl-Secret1", 5101, kafka.bootstrap(), TOPIC, "--progress-interval", "2s")
                    .withHttpPort().start();
            int http = relay.httpPort();
            List<Answer> before = OpsHttp.awaitReady(http, Duration.ofMinutes(2), relay::isAlive, relay::log);
            assertNotReadyAnswers(before, "relay");
            System.out.println("relay /ready before 200: " + before);
            assertEquals(new Answer(200, "ok\n"), OpsHttp.get(http, "/health"));

            // Under the load the counters grow, and the relay is a few seconds behind the source at most.
            double bytes = OpsHttp.metric(http, "binlogbridge_relay_bytes_total");
            double transactions = OpsHttp.metric(http, "binlogbridge_relay_transactions_total");
            awaitMetricAbove(http, "binlogbridge_relay_bytes_total", bytes);
            awaitMetricAbove(http, "binlogbridge_relay_transactions_total", transactions);
            double behind = OpsHttp.metric(http, "binlogbridge_relay_seconds_behind_source");
            assertTrue(behind >= 0 && behind < 60, "seconds behind the source under load: " + behind);

            // The log: where it starts, a progress line every 2 s while streaming, a line at each rotate (every 4 s).
            relay.awaitLog("relaying 127.0.0.1:" + source.port() + " (MARIADB", Duration.ofSeconds(30));
            relay.awaitLog("rotate: relaying file ", Duration.ofSeconds(30));
            // Bytes behind are measured from the last commit: a line written before the pass's first commit has none.
            String progressLine = awaitProgressLineAfterACommit(relay, Duration.ofSeconds(30));
            // Seconds behind may still be unknown on that line; the bytes come from the source either way.
            assertTrue(progressLine.matches(".*progress: [0-9.]+ MB in [0-9.]+ s \\([0-9.]+ MB/s, [0-9]+ transactions\\), behind the source"
                    + " (unknown|[0-9.]+ s) and [0-9.]+ MB.*, committed up to .*"), progressLine);
            System.out.println("relay progress line: " + progressLine);
            load.stopAndCheck();
        } finally {
            load.close();
        }
        int http = relay.httpPort();

        // A quiet point: the source is idle, the relay committed everything, and the counters equal the topic's sums.
        long eventBytes = 0;
        long transactions = 0;
        try (TopicContents topic = new TopicContents(kafka.bootstrap(), TOPIC)) {
            topic.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to catch up with the source");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                List<TopicContents.Entry> entries = topic.readToEnd(Duration.ofSeconds(30));
                eventBytes = 0;
                transactions = 0;
                for (TopicContents.Entry e : entries) {
                    BinlogRecord v = e.value();
                    eventBytes += v.getEvents().remaining();
                    if (v.getKind() == RecordKind.TRANSACTION && v.getLastChunk()) {
                        transactions++;
                    }
                }
                double metricBytes = OpsHttp.metric(http, "binlogbridge_relay_bytes_total");
                double metricTransactions = OpsHttp.metric(http, "binlogbridge_relay_transactions_total");
                if (metricBytes == eventBytes && metricTransactions == transactions) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("relay counters " + metricBytes + " bytes, " + metricTransactions
                            + " transactions; the topic holds " + eventBytes + " event bytes in " + transactions + " transactions");
                }
                Thread.sleep(200);
            }
            System.out.println("relay counted " + eventBytes + " bytes and " + transactions + " transactions, as the topic holds");
        }
        assertTrue(transactions >= 1000, "transactions relayed: " + transactions);

        // Caught up with an idle source: 0 once the source's heartbeat (1 s) says it has nothing more.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double behind;
        while ((behind = OpsHttp.metric(http, "binlogbridge_relay_seconds_behind_source")) != 0) {
            assertTrue(System.nanoTime() < deadline, "seconds behind the source stays " + behind + " with an idle source");
            Thread.sleep(200);
        }

        JsonNode status = JSON.readTree(OpsHttp.get(http, "/status").body());
        assertTrue(status.get("ready").asBoolean(), status.toString());
        assertEquals("relay-server", status.get("process").asText());
        assertEquals(TOPIC, status.get("topic").asText());
        JsonNode src = status.get("source");
        assertEquals("127.0.0.1:" + source.port(), src.get("address").asText(), status.toString());
        assertTrue(src.get("streaming").asBoolean());
        assertEquals("MARIADB", src.get("flavor").asText());
        assertEquals(source.serverId(), src.get("serverId").asLong());
        assertTrue(src.get("version").asText().contains("MariaDB"), status.toString());
        String file = source.currentBinlogFile();
        long position = source.currentBinlogPosition();
        assertEquals(file, status.get("committed").get("file").asText(), status.toString());
        assertEquals(position, status.get("committed").get("position").asLong(), status.toString());
        assertEquals(1, status.get("committed").get("term").asInt());
        assertEquals(file, status.get("read").get("file").asText());
        assertEquals(position, status.get("read").get("position").asLong());
        assertEquals(eventBytes, status.get("bytesRelayed").asLong());
        assertEquals(transactions, status.get("transactionsRelayed").asLong());
        assertEquals(0.0, status.get("secondsBehindSource").asDouble());
        assertTrue(status.get("lastError").isNull(), status.toString());

        String metrics = OpsHttp.get(http, "/metrics").body();
        assertTrue(OpsHttp.sample(metrics, "binlogbridge_relay_kafka_commit_seconds_count") > 0);
        assertEquals(1.0, OpsHttp.sample(metrics, "binlogbridge_relay_ready"));
        assertEquals(0.0, OpsHttp.sample(metrics, "binlogbridge_relay_semisync_acks_total"));
        assertJvmMetrics(metrics);
        assertDashboardMetricsPresent(metrics, "binlogbridge_relay_");
    }

    @Test
    @Order(2)
    void replayerIsReadyOnceIndexedAndCountsWhatADumpReceived() throws Exception {
        assertNotNull(relay, "the relay test wrote the topic");
        replayer = ReplayerProcess.startWithHttp(kafka.bootstrap(), TOPIC);
        int http = replayer.httpPort();
        List<Answer> before = OpsHttp.awaitReady(http, Duration.ofMinutes(2), replayer::isAlive, replayer::log);
        assertNotReadyAnswers(before, "replayer");
        System.out.println("replayer /ready before 200: " + before);
        replayer.awaitListening(Duration.ofSeconds(30));
        assertEquals(new Answer(200, "ok\n"), OpsHttp.get(http, "/health"));

        double sentBefore = OpsHttp.metric(http, "binlogbridge_replayer_sent_bytes_total");
        try (MySqlClient client = DumpDigest.connect(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD)) {
            client.sendBinlogDump("", 4, DUMP_SERVER_ID, 0);
            BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
            GrowableBuffer buffer = new GrowableBuffer(64 << 10);
            long received = 0;
            while (received < 1 << 20) {
                buffer.clear();
                int length = reader.readEvent(buffer);
                if (length < 0 || EventHeader.type(buffer.array(), 0) == BinlogConstants.HEARTBEAT_LOG_EVENT) {
                    break; // the end of the log
                }
                received += length;
            }
            assertTrue(received > 100_000, "the dump received only " + received + " bytes");
            double sent = OpsHttp.metric(http, "binlogbridge_replayer_sent_bytes_total");
            assertTrue(sent >= sentBefore + received, "sent_bytes_total went from " + sentBefore + " to " + sent
                    + " while the client received " + received + " bytes of events");
            System.out.println("dump client received " + received + " bytes; sent_bytes_total " + sentBefore + " -> " + sent);

            JsonNode status = JSON.readTree(OpsHttp.get(http, "/status").body());
            assertTrue(status.get("ready").asBoolean(), status.toString());
            assertEquals("replayer", status.get("process").asText());
            assertEquals("MARIADB", status.get("source").get("flavor").asText());
            assertEquals(source.currentBinlogFile(), status.get("log").get("end").get("file").asText(), status.toString());
            assertEquals(source.currentBinlogPosition(), status.get("log").get("end").get("position").asLong());
            assertTrue(status.get("log").get("files").size() >= 2, "the load rotated the binlog: " + status.get("log"));
            assertFalse(status.get("log").get("gtidExecuted").asText().isEmpty());
            JsonNode dump = null;
            for (JsonNode c : status.get("connections")) {
                if (c.has("dump") && c.get("dump").get("serverId").asLong() == DUMP_SERVER_ID) {
                    dump = c;
                }
            }
            assertNotNull(dump, "no connection dumping for server id " + DUMP_SERVER_ID + ": " + status);
            assertEquals(ReplayerProcess.USER, dump.get("user").asText());
            assertTrue(dump.get("dumping").asBoolean());
            assertTrue(dump.get("address").asText().startsWith("127.0.0.1:"), dump.toString());
            assertTrue(dump.get("sentBytes").asLong() >= received, dump.toString());
            assertFalse(dump.get("dump").get("file").isNull(), dump.toString());
            assertTrue(dump.get("dump").get("behindBytes").asLong() >= 0, dump.toString());

            String metrics = OpsHttp.get(http, "/metrics").body();
            assertEquals(1.0, OpsHttp.sample(metrics, "binlogbridge_replayer_dumps"));
            assertTrue(OpsHttp.sample(metrics, "binlogbridge_replayer_connections") >= 1);
            assertTrue(OpsHttp.sample(metrics, "binlogbridge_replayer_block_cache_fetches_total") >= 1, metrics);
            assertEquals(1.0, OpsHttp.sample(metrics, "binlogbridge_replayer_ready"));
            assertJvmMetrics(metrics);
            assertDashboardMetricsPresent(metrics, "binlogbridge_replayer_");
        }
    }

    @Test
    @Order(3)
    void statusPagesShowTheChainAndRenderInChromium() throws Exception {
        assertNotNull(replayer, "the replayer test started the replayer");
        Path shots = Chromium.screenshotDir();
        source.execute("TRUNCATE TABLE bb.load"); // a second load numbers its rows from 1 again
        SourceLoad load = SourceLoad.start(source, Duration.ofSeconds(30), false);
        try (MySqlClient client = DumpDigest.connect(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD)) {
            client.sendBinlogDump("", 4, DUMP_SERVER_ID, 0);
            // The dump client reads on, under the load, until the test closes it.
            Thread reader = new Thread(() -> {
                try {
                    BinlogEventReader events = new BinlogEventReader(client.channel(), false);
                    GrowableBuffer buffer = new GrowableBuffer(64 << 10);
                    while (true) {
                        buffer.clear();
                        if (events.readEvent(buffer) < 0) {
                            return;
                        }
                    }
                } catch (Exception closed) {
                    // the test closed the connection
                }
            }, "page-dump-client");
            reader.setDaemon(true);
            reader.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (load.transactions() < 50 || OpsHttp.metric(replayer.httpPort(), "binlogbridge_replayer_dumps") < 1) {
                assertTrue(System.nanoTime() < deadline, "no load or no dump: " + load.transactions() + " transactions");
                Thread.sleep(100);
            }
            // Caught up, the dump follows the log's end on the index tail's records, not on a consumer of its own, and
            // parked there it is handed them on its event loop, with the replayer's own delay measured.
            while (OpsHttp.metric(replayer.httpPort(), "binlogbridge_replayer_live_tail_followers") < 1
                    || OpsHttp.metric(replayer.httpPort(), "binlogbridge_replayer_live_tail_blocks_total") < 1
                    || OpsHttp.metric(replayer.httpPort(), "binlogbridge_replayer_live_tail_handoffs_total") < 1
                    || OpsHttp.metric(replayer.httpPort(), "binlogbridge_replayer_live_tail_delay_seconds_count") < 1) {
                assertTrue(System.nanoTime() < deadline, "the dump never followed the live tail: "
                        + OpsHttp.get(replayer.httpPort(), "/metrics").body());
                Thread.sleep(100);
            }

            Answer relayPage = OpsHttp.get(relay.httpPort(), "/");
            assertEquals(200, relayPage.status(), relayPage.toString());
            String html = relayPage.body();
            JsonNode relayStatus = JSON.readTree(OpsHttp.get(relay.httpPort(), "/status").body());
            for (String s : new String[] {"<!DOCTYPE html>", "<meta http-equiv=\"refresh\"", "127.0.0.1:" + source.port(), "MARIADB",
                    TOPIC, "term " + relayStatus.get("committed").get("term").asInt(), "relay-server", "Kafka topic", "seconds behind source"}) {
                assertTrue(html.contains(s), "relay page lacks " + s + ":\n" + html);
            }
            Answer replayerPage = OpsHttp.get(replayer.httpPort(), "/");
            assertEquals(200, replayerPage.status(), replayerPage.toString());
            html = replayerPage.body();
            for (String s : new String[] {"<!DOCTYPE html>", TOPIC, "term 1", "MARIADB", "server id " + source.serverId(),
                    "<td>" + ReplayerProcess.USER + "</td>", "<td>" + DUMP_SERVER_ID + "</td>", "1 dumping"}) {
                assertTrue(html.contains(s), "replayer page lacks " + s + ":\n" + html);
            }
            assertFalse(html.contains("<script"), "no script on the page");

            // As a browser shows them, with the dump still connected and the load still writing.
            Path relayShot = Chromium.screenshot("http://127.0.0.1:" + relay.httpPort() + "/", shots.resolve("relay-status-page.png"), 10_000);
            Path replayerShot = Chromium.screenshot("http://127.0.0.1:" + replayer.httpPort() + "/",
                    shots.resolve("replayer-status-page.png"), 10_000);
            System.out.println("status page screenshots: " + relayShot + " (" + Files.size(relayShot) + " bytes), " + replayerShot
                    + " (" + Files.size(replayerShot) + " bytes)");
            load.stopAndCheck();
        } finally {
            load.close();
        }
    }

    private static void awaitMetricAbove(int port, String name, double value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double now;
        while ((now = OpsHttp.metric(port, name)) <= value) {
            assertTrue(System.nanoTime() < deadline, name + " stays at " + now + " under a write load");
            Thread.sleep(100);
        }
    }

    /** Every metric of this process that docs/grafana-dashboard.json queries is one the process exports. */
    private static void assertDashboardMetricsPresent(String metrics, String prefix) throws java.io.IOException {
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana-dashboard.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(prefix + "[a-z_]+").matcher(dashboard);
        int queried = 0;
        while (m.find()) {
            queried++;
            assertTrue(metrics.contains("\n" + m.group()), m.group() + " (queried by docs/grafana-dashboard.json) missing from /metrics");
        }
        assertTrue(queried >= 5, "the dashboard queries the " + prefix + " metrics");
    }

    private static void assertJvmMetrics(String metrics) {
        for (String name : new String[] {"jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_gc_", "process_cpu_usage ",
                "process_uptime_seconds ", "system_cpu_count "}) {
            assertTrue(metrics.contains(name), name + " missing from /metrics");
        }
    }

    private static String awaitProgressLineAfterACommit(RelayProcess relay, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = relay.log().lines()
                    .filter(l -> l.contains("progress: ") && !l.endsWith("committed up to nothing yet")).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress line after a commit within " + timeout + ":\n" + relay.log());
            }
            Thread.sleep(200);
        }
    }
}
