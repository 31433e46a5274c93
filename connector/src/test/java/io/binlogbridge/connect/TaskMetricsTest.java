package io.binlogbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.junit.jupiter.api.Test;

class TaskMetricsTest {
    /** Connect's PluginMetrics as a map, for this unit test only. */
    static final class RecordingMetrics implements PluginMetrics {
        final Map<String, Measurable> metrics = new LinkedHashMap<>();

        @Override
        public MetricName metricName(String name, String description, LinkedHashMap<String, String> tags) {
            return new MetricName(name, "plugins", description, tags);
        }

        @Override
        public void addMetric(MetricName name, MetricValueProvider<?> provider) {
            metrics.put(name.name(), (Measurable) provider);
        }

        @Override
        public void removeMetric(MetricName name) {
            metrics.remove(name.name());
        }

        @Override
        public Sensor addSensor(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeSensor(String name) {
            throw new UnsupportedOperationException();
        }

        double value(String name) {
            return metrics.get(name).measure(new MetricConfig(), System.currentTimeMillis());
        }
    }

    static OutgoingRecord record(RecordKind kind, long start, long end, boolean commitPoint) {
        BinlogRecord value = BinlogRecord.newBuilder().setKind(kind).setTerm(1).setFlavor(Flavor.MYSQL).setServerId(1)
                .setServerVersion("8.0.40").setFile("binlog.000001").setStartPosition(start).setEndPosition(end).setEventCount(1)
                .setEventTimestamp(1_700_000_000L).setChecksum(ChecksumAlgorithm.CRC32).setChunk(0).setLastChunk(commitPoint)
                .setEvents(ByteBuffer.wrap(new byte[(int) (end - start)])).build();
        return new OutgoingRecord(new byte[1], new BinlogRecordCodec().encodeValue(value), kind, "binlog.000001", start, end, null,
                (int) (end - start), commitPoint, false);
    }

    @Test
    void countsWhatKafkaHoldsAndLeavesNothingBehindWhenClosed() {
        RecordingMetrics recording = new RecordingMetrics();
        TaskMetrics metrics = new TaskMetrics(recording, () -> null);
        metrics.committed(record(RecordKind.FILE_HEADER, 4, 126, true));
        metrics.committed(record(RecordKind.TRANSACTION, 126, 1126, false));
        metrics.committed(record(RecordKind.TRANSACTION, 1126, 1500, true));
        metrics.committed(record(RecordKind.TRANSACTION, 1500, 1700, true));
        assertEquals(122 + 1000 + 374 + 200, recording.value(TaskMetrics.BYTES));
        assertEquals(2, recording.value(TaskMetrics.TRANSACTIONS), "a transaction counts once, at its last chunk");
        assertTrue(Double.isNaN(recording.value(TaskMetrics.SECONDS_BEHIND)), "not streaming: unknown");
        assertEquals(0, recording.value(TaskMetrics.STREAMING));
        metrics.close();
        assertTrue(recording.metrics.isEmpty(), recording.metrics.toString());
    }
}
