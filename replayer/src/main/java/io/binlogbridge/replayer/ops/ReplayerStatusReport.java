package io.binlogbridge.replayer.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import io.binlogbridge.core.http.StatusReport;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The replayer's {@code /status}: the log it serves (files, GTID state) and every client connection. */
public final class ReplayerStatusReport implements StatusReport {
    private final String topic;
    private final LogIndex index;
    private final ReplayerServer server;
    private final RecordBlockCache blocks;

    public ReplayerStatusReport(String topic, LogIndex index, ReplayerServer server, RecordBlockCache blocks) {
        this.topic = topic;
        this.index = index;
        this.server = server;
        this.blocks = blocks;
    }

    @Override
    public void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("process", "replayer");
        json.writeStringField("topic", topic);
        json.writeBooleanField("indexReady", index.isReady());
        json.writeNumberField("indexedRecords", index.nextOffset());
        json.writeBooleanField("listening", server.listening());
        ServerIdentity source = index.identity();
        json.writeObjectFieldStart("source");
        json.writeStringField("flavor", source.flavor().name());
        json.writeStringField("version", source.serverVersion());
        json.writeNumberField("serverId", source.serverId());
        json.writeStringField("serverUuid", source.serverUuid());
        json.writeEndObject();
        List<IndexedFile> files = index.files();
        json.writeObjectFieldStart("log");
        json.writeArrayFieldStart("files");
        for (IndexedFile f : files) {
            json.writeStartObject();
            json.writeStringField("name", f.name());
            json.writeNumberField("term", f.term());
            json.writeNumberField("size", index.size(f));
            json.writeEndObject();
        }
        json.writeEndArray();
        BinlogPosition end = index.currentPosition();
        json.writeObjectFieldStart("end");
        json.writeStringField("file", end.file());
        json.writeNumberField("position", end.position());
        json.writeEndObject();
        json.writeStringField("gtidExecuted", index.gtidExecuted());
        json.writeStringField("gtidPurged", index.gtidPurged());
        json.writeEndObject();
        json.writeNumberField("sentBytes", server.counters().sentBytes());
        json.writeNumberField("authenticationFailures", server.counters().authenticationFailures());
        RecordBlockCache.Stats cache = blocks.snapshot();
        json.writeObjectFieldStart("blockCache");
        json.writeNumberField("fetches", cache.fetches());
        json.writeNumberField("fetchedBytes", cache.fetchedBytes());
        json.writeNumberField("hits", cache.hits());
        json.writeNumberField("sharedFetches", cache.waits());
        json.writeNumberField("bytes", cache.cachedBytes());
        json.writeNumberField("blocks", cache.blocks());
        json.writeNumberField("evictedBytesStillStreamed", cache.heldAfterEvictionBytes());
        json.writeEndObject();
        json.writeArrayFieldStart("connections");
        for (Session s : server.connections().sessions()) {
            writeConnection(json, s, files);
        }
        json.writeEndArray();
    }

    private void writeConnection(JsonGenerator json, Session s, List<IndexedFile> files) throws IOException {
        ConnectionStats stats = s.stats();
        json.writeStartObject();
        json.writeNumberField("id", s.connectionId());
        json.writeStringField("address", stats.address());
        json.writeStringField("user", s.user());
        json.writeStringField("connectedAt", Instant.ofEpochMilli(stats.connectedAtMillis()).toString());
        json.writeBooleanField("dumping", s.dumping());
        json.writeNumberField("sentBytes", stats.sentBytes());
        RegisteredReplica replica = s.registeredReplica();
        if (replica != null) {
            json.writeObjectFieldStart("replica");
            json.writeNumberField("serverId", replica.serverId());
            json.writeStringField("host", replica.host());
            json.writeNumberField("port", replica.port());
            json.writeStringField("uuid", replica.uuid());
            json.writeEndObject();
        }
        if (stats.dumpServerId() >= 0) {
            json.writeObjectFieldStart("dump");
            json.writeNumberField("serverId", stats.dumpServerId());
            json.writeStringField("file", stats.dumpFile());
            json.writeNumberField("position", stats.dumpPosition());
            long behind = DumpLag.bytesBehind(files, index, stats.dumpFile(), stats.dumpPosition());
            if (behind < 0) {
                json.writeNullField("behindBytes");
            } else {
                json.writeNumberField("behindBytes", behind);
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }
}
