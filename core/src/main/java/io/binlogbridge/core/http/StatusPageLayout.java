package io.binlogbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The layout both processes' status pages share: a title, the ready line, the chain source → relay → topic →
 * replayer → clients drawn as boxes (the process serving the page highlighted), then the process's own sections.
 * Self-contained: inline CSS, no script, no external asset; the page reloads itself every {@link #REFRESH_SECONDS}.
 */
public final class StatusPageLayout {
    public static final int REFRESH_SECONDS = 5;

    /**
     * One box of the chain.
     *
     * @param name what it is ("source", "relay-server", "topic", ...)
     * @param lines what the page says about it, one line each (escaped when written)
     * @param here the process serving this page
     * @param state "ok", "warn" (not ready, lagging, failing) or "off" (not known from this process)
     */
    public record Stage(String name, List<String> lines, boolean here, String state) {}

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px 24px;color:#1d2430;background:#f6f7f9}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px}
            .ready{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:600}
            .ready.ok{background:#d9f2e0;color:#145a2a}.ready.warn{background:#fde2e1;color:#8a1c17}
            .meta{color:#5b6472;font-size:12px}
            .chain{display:flex;align-items:stretch;gap:0;margin:14px 0;flex-wrap:wrap}
            .stage{background:#fff;border:1px solid #c9ced6;border-radius:6px;padding:8px 10px;min-width:120px;max-width:205px}
            .stage.here{border:2px solid #2f6fdb;box-shadow:0 0 0 3px #dbe7fb}
            .stage.warn{border-color:#d9534f;background:#fff6f5}.stage.off{background:#eef0f3;color:#6b7380}
            .stage b{display:block;font-size:13px;text-transform:uppercase;letter-spacing:.04em;margin-bottom:2px}
            .stage div{font-size:12px;word-break:break-all}
            .arrow{align-self:center;font-size:22px;color:#7b8494;padding:0 6px}
            table{border-collapse:collapse;background:#fff;margin:4px 0 8px;font-size:13px}
            th,td{border:1px solid #dde1e7;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#eef1f5;font-weight:600}td{font-variant-numeric:tabular-nums}
            .kv th{width:200px}
            """;

    private StatusPageLayout() {}

    /**
     * The whole document.
     *
     * @param process "relay-server" or "replayer"
     * @param status the /status object (for "ready" and "notReadyReason")
     * @param sections the process's own sections, already written
     */
    public static String page(String process, JsonNode status, List<Stage> chain, Html sections) {
        Html h = new Html();
        boolean ready = status.path("ready").asBoolean(false);
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .raw("<title>").text(process + " · " + status.path("topic").asText("") + " · binlog-bridge").raw("</title>")
                .raw("<style>").raw(CSS).raw("</style></head>\n<body>\n");
        h.raw("<h1>binlog-bridge ").text(process).raw(" · topic ").text(status.path("topic").asText("")).raw("</h1>\n");
        h.raw("<p>");
        if (ready) {
            h.element("span", "ready ok", "ready");
        } else {
            h.element("span", "ready warn", "not ready").raw(" ").text(Html.value(status.get("notReadyReason")));
        }
        h.raw(" <span class=\"meta\">").text("at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; refreshes every " + REFRESH_SECONDS
                + " s; JSON at /status, metrics at /metrics").raw("</span></p>\n");
        h.raw("<div class=\"chain\">\n");
        boolean first = true;
        for (Stage s : chain) {
            if (!first) {
                h.raw("<span class=\"arrow\">&rarr;</span>\n");
            }
            first = false;
            h.raw("<section class=\"stage ").text(s.state()).raw(s.here() ? " here" : "").raw("\"><b>").text(s.name()).raw("</b>");
            for (String line : s.lines()) {
                h.raw("<div>").text(line).raw("</div>");
            }
            h.raw("</section>\n");
        }
        h.raw("</div>\n");
        h.raw(sections.toString());
        h.raw("</body></html>\n");
        return h.toString();
    }
}
