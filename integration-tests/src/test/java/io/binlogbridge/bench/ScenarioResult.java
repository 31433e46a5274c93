package io.binlogbridge.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario measured: raw figures and ratios (JSON), its tables, and what each process used. */
record ScenarioResult(String name, Map<String, Object> figures, List<MarkdownTable> tables,
        List<ProcessMeter.Usage> footprint, String error) {

    static ScenarioResult of(String name, Map<String, Object> figures, List<MarkdownTable> tables,
            List<ProcessMeter.Usage> footprint) {
        return new ScenarioResult(name, figures, tables, footprint, null);
    }

    /** A scenario that could not finish: what it had measured is lost, the reason is kept. */
    static ScenarioResult failed(String name, Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        return new ScenarioResult(name, Map.of(), List.of(), List.of(), trace.toString());
    }

    boolean ok() {
        return error == null;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("completed", ok());
        if (!ok()) {
            json.put("error", error);
        }
        json.putAll(figures);
        List<Object> usage = new ArrayList<>();
        footprint.forEach(u -> usage.add(u.toJson()));
        json.put("footprint", usage);
        return json;
    }
}
