package io.binlogbridge.connect;

import io.binlogbridge.core.record.OutgoingRecord;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A record handed to Connect that remembers what it carries, so that {@code commitRecord} can count it once Kafka
 * holds it without decoding it again (Connect passes the record as the task made it, whatever transforms follow).
 */
final class RelayedRecord extends SourceRecord {
    private final OutgoingRecord outgoing;

    RelayedRecord(Map<String, ?> sourcePartition, String topic, OutgoingRecord outgoing) {
        super(sourcePartition, Map.of("file", outgoing.file() == null ? "" : outgoing.file(), "position", outgoing.endPosition()),
                topic, 0, Schema.BYTES_SCHEMA, outgoing.key(), Schema.BYTES_SCHEMA, outgoing.value());
        this.outgoing = outgoing;
    }

    OutgoingRecord outgoing() {
        return outgoing;
    }
}
