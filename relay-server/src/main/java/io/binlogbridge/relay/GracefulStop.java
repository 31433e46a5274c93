package io.binlogbridge.relay;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM (or Ctrl-C) asks the relay to stop, and the JVM then waits until it has committed what is complete:
 * the shutdown hook runs {@code onStop} and blocks until {@link #close()} says the relay is done.
 */
final class GracefulStop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    GracefulStop(Runnable onStop) {
        hook = new Thread(() -> {
            log.info("stopping: committing what is complete");
            onStop.run();
            try {
                finished.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The relay has stopped: the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it is what stopped the relay.
        }
    }
}
