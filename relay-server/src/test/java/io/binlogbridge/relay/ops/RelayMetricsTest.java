package io.binlogbridge.relay.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.core.http.PrometheusMetrics;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final RelayProgress progress = new RelayProgress("db1:3306", "bin", clock::get);
    private final RelayReadiness readiness = new RelayReadiness(progress);
    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    static OutgoingRecord transaction(String file, long start, long end, String gtid, long timestamp) {
        BinlogRecord value = BinlogRecord.newBuilder().setKind(RecordKind.TRANSACTION).setTerm(1).setFlavor(Flavor.MARIADB)
                .setServerId(7).setServerVersion("10.11.6-MariaDB").setFile(file).setStartPosition(start).setEndPosition(end)
                .setGtid(gtid).setEventCount(3).setEventTimestamp(timestamp).setChecksum(ChecksumAlgorithm.CRC32).setChunk(0)
                .setLastChunk(true).setEvents(ByteBuffer.wrap(new byte[(int) (end - start)])).build();
        return new OutgoingRecord(new byte[1], new BinlogRecordCodec().encodeValue(value), RecordKind.TRANSACTION, file, start, end,
                gtid, (int) (end - start), true, false);
    }

    @Test
    void metersHavePrometheusNamesAndCountPerCommit() {
        RelayMetrics.bind(metrics.registry(), progress, readiness);
        String before = metrics.scrape();
        assertTrue(before.contains("binlogbridge_relay_bytes_total 0.0"), before);
        assertTrue(before.contains("binlogbridge_relay_seconds_behind_source NaN"), before);
        assertTrue(before.contains("binlogbridge_relay_ready 0.0"), before);

        progress.committed(transaction("mariadb-bin.000001", 4, 1004, "0-7-1", 1_699_999_990L), 1000, 2, 3_000_000);
        progress.committed(transaction("mariadb-bin.000001", 1004, 1504, "0-7-2", 1_699_999_995L), 500, 1, 40_000_000);
        progress.acknowledged();
        progress.error("lost connection");
        String after = metrics.scrape();
        assertTrue(after.contains("# TYPE binlogbridge_relay_bytes_total counter"), after);
        assertTrue(after.contains("binlogbridge_relay_bytes_total 1500.0"), after);
        assertTrue(after.contains("binlogbridge_relay_transactions_total 3.0"), after);
        assertTrue(after.contains("binlogbridge_relay_semisync_acks_total 1.0"), after);
        assertTrue(after.contains("binlogbridge_relay_errors_total 1.0"), after);
        assertTrue(after.contains("# TYPE binlogbridge_relay_kafka_commit_seconds histogram"), after);
        assertTrue(after.contains("binlogbridge_relay_kafka_commit_seconds_count 2"), after);
        assertTrue(after.contains("binlogbridge_relay_kafka_commit_seconds_bucket{le=\"0.005\"} 1"), after);
        assertTrue(after.contains("binlogbridge_relay_kafka_commit_seconds_bucket{le=\"0.05\"} 2"), after);
        assertTrue(after.contains("# TYPE binlogbridge_relay_seconds_behind_source gauge"), after);
    }

    @Test
    void notReadyUntilAPassBeginsThenWhileReconnecting() {
        assertEquals("starting: checking the source db1:3306 and Kafka", readiness.notReadyReason());
        assertTrue(Double.isNaN(progress.secondsBehindSource()));
        progress.sessionStarted(new io.binlogbridge.core.relay.SourceReplication(null, null, "topic bin", forSwitch -> null));
        assertEquals("connecting to the source db1:3306", readiness.notReadyReason());
        assertTrue(Double.isNaN(progress.secondsBehindSource()), "not streaming yet");
        progress.error("lost connection to source db1:3306");
        progress.sessionEnded();
        assertEquals("not reading the source db1:3306 (lost connection to source db1:3306); reconnecting", readiness.notReadyReason());
    }

    @Test
    void statusNamesWhatKafkaHolds() throws Exception {
        progress.committed(transaction("mariadb-bin.000002", 4, 1004, "0-7-9", 1_699_999_990L), 1000, 1, 3_000_000);
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            new RelayStatusReport(progress).writeFields(json);
            json.writeEndObject();
        }
        JsonNode status = new ObjectMapper().readTree(out.toString());
        assertEquals("relay-server", status.get("process").asText());
        assertEquals("db1:3306", status.get("source").get("address").asText());
        assertEquals(false, status.get("source").get("streaming").asBoolean());
        assertEquals("mariadb-bin.000002", status.get("committed").get("file").asText());
        assertEquals(1004, status.get("committed").get("position").asLong());
        assertEquals(1, status.get("committed").get("term").asInt());
        assertEquals("0-7-9", status.get("committed").get("gtid").asText());
        assertEquals("2023-11-14T22:13:20Z", status.get("committed").get("time").asText());
        assertEquals(1000, status.get("bytesRelayed").asLong());
        assertEquals(1, status.get("transactionsRelayed").asLong());
        assertTrue(status.get("secondsBehindSource").isNull());
        assertTrue(status.get("read").isNull());
        assertTrue(status.get("lastError").isNull());
    }
}
