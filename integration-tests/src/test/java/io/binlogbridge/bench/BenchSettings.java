package io.binlogbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The harness's knobs, from system properties. The bench profile of the pom passes every one, blank when the
 * user did not set it, so the defaults live here only.
 * <ul>
 * <li>{@code bench.scenarios} (catchup,fanout,lag,bigtxn,kafka,archive,reader): which scenarios run;</li>
 * <li>{@code bench.backlogMb} (2048): the catch-up backlog generated on each source;</li>
 * <li>{@code bench.fanoutMb} (256), {@code bench.fanoutClients} (1,10,50): what each fan-out client reads, and how many
 * clients read at once in each run;</li>
 * <li>{@code bench.rate} (200 tx/s), {@code bench.seconds} (30), {@code bench.threads} (4): the sysbench load of the
 * lag scenario; {@code bench.lagWarmupSeconds} (60): the same load, not measured, before it, so that the lag is the
 * steady state's and not the JIT compilers' of three JVMs (0 measures from cold); {@code bench.lagFollowers} (0): more dump
 * clients of the replayer following the log's end with the measured one (live fan-out);</li>
 * <li>{@code bench.bigTxnMb} (1024), {@code bench.bigTxnRelayHeapMb} (256): the big transaction and the relay's heap;</li>
 * <li>{@code replayer.heapMb} (256): the replayer's heap; {@code bench.relayJvmArgs}, {@code bench.replayerJvmArgs}:
 * more JVM options (e.g. JFR) for relay-server and the replayer; {@code bench.relayArgs}: more relay-server options
 * (e.g. {@code --max-commit-delay 50ms}) for the catch-up runs;</li>
 * <li>{@code bench.output} (integration-tests/target/benchmarks.json).</li>
 * </ul>
 */
record BenchSettings(Set<String> scenarios, long backlogMb, long fanoutMb, List<Integer> fanoutClients, int rate,
        int seconds, int sysbenchThreads, int lagWarmupSeconds, int lagFollowers, long bigTxnMb, int bigTxnRelayHeapMb, int replayerHeapMb,
        List<String> relayJvmArgs, List<String> replayerJvmArgs, List<String> relayArgs, Path output) {

    static final List<String> ALL_SCENARIOS = List.of("catchup", "fanout", "lag", "bigtxn", "kafka", "archive", "reader");

    static BenchSettings fromSystemProperties() {
        Set<String> scenarios = new TreeSet<>(words(text("bench.scenarios", String.join(",", ALL_SCENARIOS)), ","));
        if (!ALL_SCENARIOS.containsAll(scenarios)) {
            throw new IllegalArgumentException("-Dbench.scenarios: unknown " + scenarios + "; known: " + ALL_SCENARIOS);
        }
        return new BenchSettings(scenarios,
                number("bench.backlogMb", 2048),
                number("bench.fanoutMb", 256),
                words(text("bench.fanoutClients", "1,10,50"), ",").stream().map(Integer::valueOf).toList(),
                (int) number("bench.rate", 200),
                (int) number("bench.seconds", 30),
                (int) number("bench.threads", 4),
                (int) number("bench.lagWarmupSeconds", 60),
                (int) number("bench.lagFollowers", 0),
                number("bench.bigTxnMb", 1024),
                (int) number("bench.bigTxnRelayHeapMb", 256),
                (int) number("replayer.heapMb", 256),
                words(text("bench.relayJvmArgs", ""), "\\s+"),
                words(text("bench.replayerJvmArgs", ""), "\\s+"),
                words(text("bench.relayArgs", ""), "\\s+"),
                Path.of(text("bench.output", defaultOutput())));
    }

    /** integration-tests/target/benchmarks.json, from the module (as the pom runs it) or from the repository root. */
    static String defaultOutput() {
        return Files.isDirectory(Path.of("integration-tests")) ? "integration-tests/target/benchmarks.json"
                : "target/benchmarks.json";
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** The knobs as given to this run, for the results file and the command line that repeats it. */
    Map<String, Object> toJson() {
        return Json.object("bench.scenarios", String.join(",", scenarios), "bench.backlogMb", backlogMb,
                "bench.fanoutMb", fanoutMb, "bench.fanoutClients", fanoutClients, "bench.rate", rate,
                "bench.seconds", seconds, "bench.threads", sysbenchThreads, "bench.lagWarmupSeconds", lagWarmupSeconds,
                "bench.lagFollowers", lagFollowers,
                "bench.bigTxnMb", bigTxnMb,
                "bench.bigTxnRelayHeapMb", bigTxnRelayHeapMb, "replayer.heapMb", replayerHeapMb,
                "bench.relayJvmArgs", String.join(" ", relayJvmArgs), "bench.replayerJvmArgs", String.join(" ", replayerJvmArgs),
                "bench.relayArgs", String.join(" ", relayArgs));
    }

    /** The Maven command that runs the harness with exactly these knobs. */
    String command() {
        StringBuilder cmd = new StringBuilder(
                "mvn -B -o -pl integration-tests -am test-compile -Dexec.mainClass=" + BenchmarkHarness.class.getName());
        toJson().forEach((key, value) -> {
            String v = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            if (!v.isEmpty()) {
                cmd.append(" -D").append(key).append('=').append(v.contains(" ") ? "\"" + v + "\"" : v);
            }
        });
        return cmd.toString();
    }

    /** A knob's value; the bench profile passes every knob, blank when not given. */
    static String text(String property, String fallback) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static long number(String property, long fallback) {
        return Long.parseLong(text(property, Long.toString(fallback)));
    }

    private static List<String> words(String text, String separator) {
        return Arrays.stream(text.trim().split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
