package io.binlogbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON results file: what was run (command, knobs, JVM arguments), on what (machine, versions), when, and the
 * figures. The harness writes {@code benchmarks.json}; each measurement run by hand writes a file of its own beside it,
 * so that no figure is only in a terminal's scroll-back.
 */
final class ResultsFile {
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final String command;
    private final Map<String, Object> settings;

    ResultsFile(String command, Map<String, Object> settings) {
        this.command = command;
        this.settings = settings;
    }

    /** For a measurement run by hand: its command line repeats the knobs it read ({@code -Dkey=value}, blank ones left out). */
    static ResultsFile forMeasurement(Class<?> measurement, String... knobs) {
        Map<String, Object> settings = new LinkedHashMap<>();
        StringBuilder command = new StringBuilder("mvn -B -o -pl integration-tests test-compile -Dexec.mainClass=")
                .append(measurement.getName());
        for (String knob : knobs) {
            String value = BenchSettings.text(knob, "");
            settings.put(knob, value);
            if (!value.isEmpty()) {
                command.append(" -D").append(knob).append('=').append(value.contains(" ") ? "\"" + value + "\"" : value);
            }
        }
        return new ResultsFile(command.toString(), settings);
    }

    String command() {
        return command;
    }

    /** Writes the envelope and {@code figures} to {@code out}; returns its absolute path. */
    Path write(Path out, Map<String, Object> versions, Map<String, Object> figures) throws IOException {
        Map<String, Object> json = Json.object("startedAt", started.toString(), "wallSeconds", (System.nanoTime() - startNanos) / 1e9,
                "command", command, "jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments(),
                "settings", settings, "machine", BenchmarkHarness.machine(versions),
                "units", "MB = 10^6 bytes, GB = 10^9 bytes; times in seconds unless named Ms");
        json.putAll(figures);
        Path absolute = out.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Files.writeString(absolute, Json.write(json));
        return absolute;
    }

    /** A measurement's tables, to {@code -Dbench.output} or {@code benchmarks-<name>.json} beside the harness's file. */
    Path writeTables(String name, Map<String, Object> versions, List<MarkdownTable> tables) throws IOException {
        Path out = Path.of(BenchSettings.text("bench.output", BenchSettings.defaultOutput().replace("benchmarks.json",
                "benchmarks-" + name + ".json")));
        return write(out, versions, Json.object("tables", tables.stream().map(MarkdownTable::toJson).toList()));
    }
}
