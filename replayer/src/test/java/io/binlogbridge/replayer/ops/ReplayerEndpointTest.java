package io.binlogbridge.replayer.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.schemas.Flavor;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayerEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private LogIndex index;
    private ReplayerServer server;
    private RecordBlockCache blocks;
    private MeteredEndpoint endpoint;
    private int mysqlPort;

    @BeforeEach
    void start() throws Exception {
        index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 200, "").transaction("binlog.000001", 200, 500, TestLogs.UUID + ":1")
                .header("binlog.000002", 150, "").transaction("binlog.000002", 150, 1150, TestLogs.UUID + ":2")
                .index();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        blocks = new RecordBlockCache(new LogConsumers(kafka, "bin"), index, 4 << 20, 1 << 20, 1, 1, PooledByteBufAllocator.DEFAULT);
        server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, Map.of("replica", "Secret-1"), index,
                (ctx, session, request) -> { }, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 1));
        endpoint = ReplayerEndpoint.start("127.0.0.1", 0, "bin", "127.0.0.1:1", index, server, blocks);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        server.close();
        blocks.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private MySqlClient connect(String password) throws Exception {
        return MySqlClient.connect(ConnectionSettings.of("127.0.0.1", mysqlPort, "replica", password));
    }

    @Test
    void readyOnceListeningThenCountsConnectionsAndRefusedLogins() throws Exception {
        HttpResponse<String> r = get("/ready");
        assertEquals(503, r.statusCode());
        assertEquals("not accepting MySQL clients\n", r.body());
        mysqlPort = server.start();
        assertEquals(200, get("/ready").statusCode());

        assertThrows(MySqlServerException.class, () -> connect("wrong").close());
        try (MySqlClient client = connect("Secret-1")) {
            client.execute("SET @slave_uuid= 'x'");
            String metrics = get("/metrics").body();
            assertTrue(metrics.contains("binlogbridge_replayer_authentication_failures_total 1.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_connections 1.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_dumps 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_sent_bytes_total 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_max_dump_lag_bytes 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_block_cache_fetches_total 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_block_cache_hits_total 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_block_cache_bytes 0.0"), metrics);
            assertTrue(metrics.contains("binlogbridge_replayer_ready 1.0"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);

            JsonNode status = new ObjectMapper().readTree(get("/status").body());
            assertTrue(status.get("ready").asBoolean());
            assertEquals("replayer", status.get("process").asText());
            assertEquals(2, status.get("log").get("files").size());
            assertEquals("binlog.000002", status.get("log").get("end").get("file").asText());
            assertEquals(1150, status.get("log").get("end").get("position").asLong());
            assertEquals(TestLogs.UUID + ":1-2", status.get("log").get("gtidExecuted").asText());
            JsonNode connections = status.get("connections");
            assertEquals(1, connections.size(), status.toString());
            assertEquals("replica", connections.get(0).get("user").asText());
            assertTrue(connections.get(0).get("address").asText().startsWith("127.0.0.1:"));
            assertEquals(false, connections.get(0).get("dumping").asBoolean());
        }
    }

    @Test
    void dumpLagCountsTheRestOfTheFileAndEveryLaterOne() {
        var files = index.files();
        assertEquals((500 - 300) + (1150 - 4), DumpLag.bytesBehind(files, index, "binlog.000001", 300));
        assertEquals(0, DumpLag.bytesBehind(files, index, "binlog.000002", 1150));
        assertEquals(-1, DumpLag.bytesBehind(files, index, "binlog.000009", 4));
        assertEquals(-1, DumpLag.bytesBehind(files, index, null, 0));
    }
}
