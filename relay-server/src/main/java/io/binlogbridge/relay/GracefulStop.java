package io.binlogbridge.relay;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM or SIGINT (Ctrl-C) asks the relay to stop; it commits what is complete and the process exits 0. The
 * signals are handled here rather than left to the JVM, whose own handler would exit 143 whatever the relay did;
 * a shutdown hook still covers other ways the JVM ends, waiting until {@link #close()} says the relay is done.
 */
final class GracefulStop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    GracefulStop(Runnable onStop) {
        Runnable stop = () -> {
            log.info("stopping: committing what is complete");
            onStop.run();
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unavailable) {
                // Not on this platform or taken by the JVM (-Xrs): the shutdown hook below still stops the relay.
            }
        }
        hook = new Thread(() -> {
            stop.run();
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
