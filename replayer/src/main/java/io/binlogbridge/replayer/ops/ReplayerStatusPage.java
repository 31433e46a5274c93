package io.binlogbridge.replayer.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.binlogbridge.core.http.Html;
import io.binlogbridge.core.http.StatusPage;
import io.binlogbridge.core.http.StatusPageLayout;
import io.binlogbridge.core.http.StatusPageLayout.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * The replayer's page at {@code /}: source (as the log presents it) → topic → replayer → clients, from the
 * {@code /status} object of {@link ReplayerStatusReport}.
 */
public final class ReplayerStatusPage implements StatusPage {
    @Override
    public String render(JsonNode status) {
        JsonNode source = status.path("source");
        JsonNode log = status.path("log");
        JsonNode files = log.path("files");
        JsonNode connections = status.path("connections");
        boolean ready = status.path("ready").asBoolean(false);
        int dumps = 0;
        for (JsonNode c : connections) {
            if (c.path("dumping").asBoolean(false)) {
                dumps++;
            }
        }
        String term = files.size() == 0 ? "—" : files.get(files.size() - 1).path("term").asText();

        List<Stage> chain = List.of(
                new Stage("source", List.of(source.path("flavor").asText() + " " + source.path("version").asText(),
                        "server id " + Html.value(source.get("serverId")), "(as the log records it)"), false, "off"),
                new Stage("relay", List.of("writes the topic:", "see the relay's own page"), false, "off"),
                new Stage("Kafka topic", List.of(status.path("topic").asText(), "term " + term,
                        files.size() + " files, end " + position(log.path("end"))), false, "ok"),
                new Stage("replayer", List.of(status.path("indexReady").asBoolean() ? "index caught up" : "indexing",
                        Html.value(status.get("indexedRecords")) + " records indexed",
                        status.path("listening").asBoolean() ? "accepting MySQL clients" : "not accepting clients",
                        Html.bytes(status.get("sentBytes")) + " sent"), true, ready ? "ok" : "warn"),
                new Stage("clients", clientLines(connections, dumps), false, "ok"));

        Html h = new Html();
        h.raw("<h2>Clients</h2>\n<table>\n");
        h.headers("id", "address", "user", "connected at", "replica server id", "dump server id", "dump position", "sent",
                "behind (bytes)");
        if (connections.size() == 0) {
            h.raw("<tr><td colspan=\"9\">no connections</td></tr>\n");
        }
        for (JsonNode c : connections) {
            JsonNode replica = c.path("replica");
            JsonNode dump = c.path("dump");
            h.cells(c.path("id").asText(), c.path("address").asText(), c.path("user").asText(), c.path("connectedAt").asText(),
                    replica.isObject() ? replica.path("serverId").asText() + " (" + replica.path("host").asText() + ":"
                            + replica.path("port").asText() + ")" : "—",
                    dump.isObject() ? dump.path("serverId").asText() : "—",
                    dump.isObject() ? position(dump) : (c.path("dumping").asBoolean() ? "starting" : "not dumping"),
                    Html.bytes(c.get("sentBytes")),
                    dump.isObject() ? Html.value(dump.get("behindBytes")) : "—");
        }
        h.raw("</table>\n<h2>Log</h2>\n<table class=\"kv\">\n");
        h.row("topic", status.path("topic").asText());
        h.row("end (SHOW MASTER STATUS)", position(log.path("end")));
        h.row("gtid_executed", Html.value(log.get("gtidExecuted")));
        h.row("gtid_purged", Html.value(log.get("gtidPurged")));
        h.row("source", source.path("flavor").asText() + " " + source.path("version").asText() + ", server id "
                + Html.value(source.get("serverId")) + ", uuid " + Html.value(source.get("serverUuid")));
        h.row("bytes sent to clients", Html.bytes(status.get("sentBytes")) + " (" + Html.value(status.get("sentBytes")) + ")");
        h.row("authentication failures", Html.value(status.get("authenticationFailures")));
        JsonNode cache = status.path("blockCache");
        h.row("block cache", Html.value(cache.get("blocks")) + " blocks, " + Html.bytes(cache.get("bytes")) + "; "
                + Html.value(cache.get("fetches")) + " fetches, " + Html.value(cache.get("hits")) + " hits, "
                + Html.value(cache.get("sharedFetches")) + " shared");
        h.raw("</table>\n<h2>Files</h2>\n<table>\n");
        h.headers("file", "term", "size");
        for (JsonNode f : files) {
            h.cells(f.path("name").asText(), f.path("term").asText(), Html.value(f.get("size")));
        }
        h.raw("</table>\n");
        return StatusPageLayout.page("replayer", status, chain, h);
    }

    private static List<String> clientLines(JsonNode connections, int dumps) {
        List<String> lines = new ArrayList<>();
        lines.add(connections.size() + (connections.size() == 1 ? " connection, " : " connections, ") + dumps + " dumping");
        int shown = 0;
        for (JsonNode c : connections) {
            JsonNode dump = c.path("dump");
            if (dump.isObject() && shown++ < 4) {
                lines.add(c.path("user").asText() + " (server id " + dump.path("serverId").asText() + ") at " + position(dump));
            }
        }
        return lines;
    }

    private static String position(JsonNode p) {
        return p != null && p.isObject() && !p.path("file").isNull() ? p.path("file").asText() + ":" + p.path("position").asText() : "—";
    }
}
