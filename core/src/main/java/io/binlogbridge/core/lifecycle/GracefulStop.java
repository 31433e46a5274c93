package io.binlogbridge.core.lifecycle;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM or SIGINT (Ctrl-C) asks a process (relay-server, the replayer) to stop; it finishes what it must (the relay
 * commits what is complete, the replayer ends its dumps at an event boundary) and exits 0. The signals are handled
 * here rather than left to the JVM, whose own handler would exit 143 whatever the process did; a shutdown hook still
 * covers other ways the JVM ends, waiting until {@link #close()} says the process is done.
 */
public final class GracefulStop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /** @param what how the log line says what stopping does, e.g. "committing what is complete" */
    public GracefulStop(String what, Runnable onStop) {
        Runnable stop = () -> {
            log.info("stopping: {}", what);
            onStop.run();
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unavailable) {
                // Not on this platform or taken by the JVM (-Xrs): the shutdown hook below still stops the process.
            }
        }
        hook = new Thread(() -> {
            stop.run();
            try {
                finished.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "graceful-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The process has stopped what it runs: the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it is what stopped the process.
        }
    }
}
