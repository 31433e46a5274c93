package io.binlogbridge.relay.ops;

import io.binlogbridge.core.http.Readiness;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The relay's meters (docs/operations.md lists them), read from {@link RelayProgress} when scraped. */
public final class RelayMetrics {
    /** Buckets of the Kafka commit latency histogram. */
    static final Duration[] COMMIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private RelayMetrics() {}

    public static void bind(MeterRegistry registry, RelayProgress progress, Readiness readiness) {
        FunctionCounter.builder("binlogbridge.relay.bytes", progress, RelayProgress::eventBytes).baseUnit("bytes")
                .description("Binlog event bytes committed to the topic (as the source sent them: header, body, checksum)")
                .register(registry);
        FunctionCounter.builder("binlogbridge.relay.transactions", progress, RelayProgress::transactions)
                .description("MySQL transactions committed to the topic").register(registry);
        FunctionCounter.builder("binlogbridge.relay.semisync.acks", progress, RelayProgress::acknowledgements)
                .description("Semi-sync acknowledgements sent to the source, each after the Kafka commit holding its transaction")
                .register(registry);
        FunctionCounter.builder("binlogbridge.relay.errors", progress, RelayProgress::errors)
                .description("Errors the relay recovered from by reconnecting to the source or restarting from the topic")
                .register(registry);
        Gauge.builder("binlogbridge.relay.seconds.behind.source", progress, RelayProgress::secondsBehindSource)
                .description("Now minus the source timestamp of the last committed event; 0 when caught up with an idle source; NaN when not streaming")
                .register(registry);
        Gauge.builder("binlogbridge.relay.ready", readiness, r -> r.notReadyReason() == null ? 1 : 0)
                .description("1 when /ready answers 200, else 0").register(registry);
        Timer commits = Timer.builder("binlogbridge.relay.kafka.commit")
                .description("Time Kafka took to commit one transaction of the relay (many MySQL transactions with group commit)")
                .serviceLevelObjectives(COMMIT_BUCKETS).register(registry);
        progress.onCommitDuration(nanos -> commits.record(nanos, TimeUnit.NANOSECONDS));
    }
}
