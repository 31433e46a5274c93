package io.binlogbridge.it.fanout;

import io.binlogbridge.it.fixtures.KafkaBroker;
import java.time.Duration;

/** Fan-out test helpers for the benchmarks. */
public final class ReplayerFanOutTestAccess {
    private ReplayerFanOutTestAccess() {}

    /** Waits until the topic's last record ends at or after {@code file:position}. */
    public static void awaitRelayed(KafkaBroker kafka, String topic, String file, long position) throws Exception {
        ReplayerFanOutTest.awaitRelayed(kafka, topic, file, position, Duration.ofMinutes(3));
    }
}
