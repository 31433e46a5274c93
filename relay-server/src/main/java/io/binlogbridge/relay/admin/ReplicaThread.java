package io.binlogbridge.relay.admin;

import io.binlogbridge.relay.Relay;
import io.binlogbridge.relay.RelayException;
import io.binlogbridge.relay.RelaySettings;
import io.binlogbridge.relay.ops.RelayProgress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as the admin port runs it: what MySQL calls a replica's receiver (IO) thread. START runs a
 * {@link Relay} on the current settings in a thread of its own, STOP ends it after committing what is
 * complete, CHANGE replaces the source while it is stopped. A relay that fails or refuses its source leaves
 * the error for SHOW REPLICA STATUS and the process running, so that the operator can point it elsewhere.
 */
public final class ReplicaThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaThread.class);

    /** Replica_IO_Running: Yes, Connecting or No. */
    public enum State { RUNNING, CONNECTING, STOPPED }

    private final RelayProgress progress;
    private final LongSupplier clockMillis;
    private RelaySettings settings;
    private Relay relay;
    private Thread thread;
    private volatile IoError lastError;

    public ReplicaThread(RelaySettings settings, RelayProgress progress) {
        this(settings, progress, System::currentTimeMillis);
    }

    ReplicaThread(RelaySettings settings, RelayProgress progress, LongSupplier clockMillis) {
        this.settings = settings;
        this.progress = progress;
        this.clockMillis = clockMillis;
    }

    /**
     * Starts the relay unless it runs, and waits up to {@code wait} for it to stream from its source (every
     * check passed, a switch decided) or to fail.
     *
     * @return the failure, empty when it streams or still connects after {@code wait}
     */
    public Optional<IoError> start(Duration wait) throws InterruptedException {
        Relay started;
        Thread runner;
        synchronized (this) {
            if (running()) {
                return Optional.empty();
            }
            lastError = null;
            started = new Relay(settings, progress);
            runner = new Thread(() -> run(started), "relay");
            relay = started;
            thread = runner;
            runner.start();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && runner.isAlive() && !started.streaming()) {
            runner.join(20);
        }
        if (!runner.isAlive()) {
            return Optional.ofNullable(lastError);
        }
        return Optional.empty();
    }

    private void run(Relay r) {
        try {
            r.run();
            log.info("relay stopped");
        } catch (RelayException e) {
            log.debug("relay failed: {}", e.getMessage(), e);
            log.error("{}", e.getMessage());
            lastError = IoError.of(e, clockMillis.getAsLong());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("relay failed", e);
            lastError = IoError.of(e, clockMillis.getAsLong());
        }
    }

    /** Stops the relay, if it runs, once it has committed what is complete. */
    public void stop() throws InterruptedException {
        Relay r;
        Thread t;
        synchronized (this) {
            r = relay;
            t = thread;
        }
        if (r != null) {
            r.close();
            t.join();
        }
    }

    /**
     * Replaces the source the next START reads.
     *
     * @throws IllegalStateException while the relay runs
     */
    public synchronized void change(SourceChange change) {
        if (running()) {
            throw new IllegalStateException("the relay is running");
        }
        settings = change.applyTo(settings);
        progress.sourceAddress(settings.source().address());
        log.info("source changed to {} (user {}, start {}): START REPLICA reads from it", settings.source().address(),
                settings.source().user(), settings.start());
    }

    public synchronized RelaySettings settings() {
        return settings;
    }

    public synchronized State state() {
        if (!running()) {
            return State.STOPPED;
        }
        return relay.streaming() ? State.RUNNING : State.CONNECTING;
    }

    /** The last failure, until the next START. */
    public IoError lastError() {
        return lastError;
    }
    private boolean running() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
