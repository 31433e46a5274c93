package io.binlogbridge.relay.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.binlogbridge.core.http.Html;
import io.binlogbridge.core.http.StatusPage;
import io.binlogbridge.core.http.StatusPageLayout;
import io.binlogbridge.core.http.StatusPageLayout.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The relay's page at {@code /}: source → relay → topic, from the {@code /status} object of {@link RelayStatusReport}. */
public final class RelayStatusPage implements StatusPage {
    @Override
    public String render(JsonNode status) {
        JsonNode source = status.path("source");
        JsonNode read = status.path("read");
        JsonNode committed = status.path("committed");
        boolean ready = status.path("ready").asBoolean(false);
        boolean streaming = source.path("streaming").asBoolean(false);

        List<String> sourceLines = new ArrayList<>();
        sourceLines.add(source.path("address").asText());
        if (source.has("flavor")) {
            sourceLines.add(source.path("flavor").asText() + " " + source.path("version").asText());
            sourceLines.add("server id " + source.path("serverId").asText());
        }
        sourceLines.add(streaming ? "streaming" : "not streaming");
        List<String> relayLines = new ArrayList<>();
        relayLines.add("read " + position(read));
        relayLines.add("behind the source " + seconds(status.get("secondsBehindSource")));
        relayLines.add(Html.bytes(status.get("bytesRelayed")) + " in " + Html.value(status.get("transactionsRelayed")) + " transactions");
        List<String> topicLines = new ArrayList<>();
        topicLines.add(status.path("topic").asText());
        topicLines.add("term " + Html.value(committed.get("term")));
        topicLines.add("committed " + position(committed));
        List<Stage> chain = List.of(
                new Stage("source", sourceLines, false, streaming ? "ok" : "warn"),
                new Stage("relay-server", relayLines, true, ready ? "ok" : "warn"),
                new Stage("Kafka topic", topicLines, false, committed.isObject() ? "ok" : "warn"),
                new Stage("replayer → clients", List.of("served by the replayer:", "see its own page"), false, "off"));

        Html h = new Html();
        h.raw("<h2>Source</h2>\n<table class=\"kv\">\n");
        h.row("address", source.path("address").asText());
        h.row("streaming", source.path("streaming").asText());
        h.row("flavor", Html.value(source.get("flavor")));
        h.row("version", Html.value(source.get("version")));
        h.row("server id", Html.value(source.get("serverId")));
        h.row("server uuid", Html.value(source.get("serverUuid")));
        h.raw("</table>\n<h2>Relay</h2>\n<table class=\"kv\">\n");
        h.row("read up to", position(read));
        h.row("seconds behind source", seconds(status.get("secondsBehindSource")));
        h.row("transactions relayed", Html.value(status.get("transactionsRelayed")));
        h.row("bytes relayed", Html.bytes(status.get("bytesRelayed")) + " (" + Html.value(status.get("bytesRelayed")) + ")");
        h.row("Kafka commits", Html.value(status.get("kafkaCommits")));
        h.row("semi-sync acks", Html.value(status.get("semiSyncAcks")));
        h.row("errors recovered from", Html.value(status.get("errors")));
        JsonNode error = status.path("lastError");
        h.row("last error", error.isObject() ? error.path("message").asText() + " (at " + error.path("time").asText() + ")" : "none");
        h.raw("</table>\n<h2>Topic</h2>\n<table class=\"kv\">\n");
        h.row("topic", status.path("topic").asText());
        h.row("term", Html.value(committed.get("term")));
        h.row("committed up to", position(committed));
        h.row("last GTID", Html.value(committed.get("gtid")));
        h.row("last commit", Html.value(committed.get("time")));
        h.raw("</table>\n");
        return StatusPageLayout.page("relay-server", status, chain, h);
    }

    private static String position(JsonNode p) {
        return p != null && p.isObject() ? p.path("file").asText() + ":" + p.path("position").asText() : "—";
    }

    private static String seconds(JsonNode s) {
        return s == null || !s.isNumber() ? "unknown (not streaming)" : String.format(Locale.ROOT, "%.1f s", s.asDouble());
    }
}
