package io.binlogbridge.bench;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.FreePorts;
import java.util.ArrayList;
import java.util.List;

/**
 * The replayer the scenarios share, with the benchmark's heap. Running out of memory is a result to record, not the
 * end of the run: the next scenario gets a new replayer.
 */
final class ReplayerSlot implements AutoCloseable {
    private final ForkedKafkaBroker kafka;
    private final String topic;
    private final List<String> jvmArgs;
    /** Its /metrics, for what only the replayer can tell (the live tail's delay). */
    private final int httpPort = FreePorts.allocate();
    private ReplayerJvm current;

    ReplayerSlot(ForkedKafkaBroker kafka, String topic, BenchSettings settings) {
        this.kafka = kafka;
        this.topic = topic;
        // After ReplayerJvm's own -Xmx, so this one wins.
        this.jvmArgs = new ArrayList<>(List.of("-Xmx" + settings.replayerHeapMb() + "m"));
        jvmArgs.addAll(settings.replayerJvmArgs());
    }

    /**
     * The running replayer; a new one if there was none, or it died, or it ran out of memory (an OutOfMemoryError in
     * a dump thread, e.g. direct buffers, ends that dump with an error but leaves the process up).
     */
    ReplayerJvm get() {
        if (current == null || !current.isAlive() || current.outOfMemory()) {
            if (current != null) {
                System.out.println("[bench] the replayer exited or ran out of memory; starting a new one. Its log:\n"
                        + current.log());
                current.close();
            }
            current = ReplayerJvm.start(kafka.bootstrap(), topic, jvmArgs, "--http-port", Integer.toString(httpPort));
        }
        return current;
    }

    int httpPort() {
        return httpPort;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
