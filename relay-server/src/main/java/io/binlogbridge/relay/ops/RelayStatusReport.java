package io.binlogbridge.relay.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import io.binlogbridge.core.http.StatusReport;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.schemas.BinlogRecord;
import java.io.IOException;
import java.time.Instant;

/** The relay's {@code /status}: the source, where the relay reads and what Kafka holds, totals, the last error. */
public final class RelayStatusReport implements StatusReport {
    private final RelayProgress progress;

    public RelayStatusReport(RelayProgress progress) {
        this.progress = progress;
    }

    @Override
    public void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("process", "relay-server");
        json.writeStringField("topic", progress.topic());
        SourceReplication pass = progress.pass();
        SourceIdentity source = progress.source();
        json.writeObjectFieldStart("source");
        json.writeStringField("address", progress.sourceAddress());
        json.writeBooleanField("streaming", pass != null && pass.streaming());
        if (source != null) {
            json.writeStringField("flavor", source.flavor().name());
            json.writeStringField("version", source.serverVersion());
            json.writeNumberField("serverId", source.serverId());
            json.writeStringField("serverUuid", source.serverUuid());
        }
        json.writeEndObject();
        OutgoingRecord read = pass == null ? null : pass.lastRead();
        if (read == null) {
            json.writeNullField("read");
        } else {
            json.writeObjectFieldStart("read");
            json.writeStringField("file", read.file());
            json.writeNumberField("position", read.endPosition());
            json.writeEndObject();
        }
        OutgoingRecord committed = progress.lastCommitted();
        if (committed == null) {
            json.writeNullField("committed");
        } else {
            BinlogRecord metadata = progress.metadata(committed);
            json.writeObjectFieldStart("committed");
            json.writeNumberField("term", metadata.getTerm());
            json.writeStringField("file", committed.file());
            json.writeNumberField("position", committed.endPosition());
            json.writeStringField("gtid", committed.gtid());
            json.writeStringField("time", Instant.ofEpochMilli(progress.lastCommitMillis()).toString());
            json.writeEndObject();
        }
        double behind = progress.secondsBehindSource();
        if (Double.isNaN(behind)) {
            json.writeNullField("secondsBehindSource");
        } else {
            json.writeNumberField("secondsBehindSource", behind);
        }
        json.writeNumberField("transactionsRelayed", progress.transactions());
        json.writeNumberField("bytesRelayed", progress.eventBytes());
        json.writeNumberField("kafkaCommits", progress.commits());
        json.writeNumberField("semiSyncAcks", progress.acknowledgements());
        json.writeNumberField("errors", progress.errors());
        if (progress.lastError() == null) {
            json.writeNullField("lastError");
        } else {
            json.writeObjectFieldStart("lastError");
            json.writeStringField("message", progress.lastError());
            json.writeStringField("time", Instant.ofEpochMilli(progress.lastErrorMillis()).toString());
            json.writeEndObject();
        }
    }
}
