package io.binlogbridge.replayer.dump;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Holds a dump until the log it asked for exists, sending heartbeats meanwhile. The waiting thread sleeps on a
 * monitor: {@link #wake()} (the log changed) and {@link #stop()} (the client went away) end the sleep at once, the
 * heartbeat period ends it on time, and nothing else runs in between.
 */
final class LogWait {
    private final Object monitor = new Object();
    private boolean stopped;

    /** The log changed: re-check it. Called on the indexer's thread, so it only wakes the waiter. */
    void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** The dump ends: {@link #await} returns false. */
    void stop() {
        synchronized (monitor) {
            stopped = true;
            monitor.notifyAll();
        }
    }

    /**
     * Waits until {@code logExists} holds (true) or {@link #stop()} (false), running {@code heartbeat} every
     * {@code periodNanos} (0 = never) on the calling thread, outside the monitor.
     */
    boolean await(BooleanSupplier logExists, long periodNanos, Runnable heartbeat) throws InterruptedException {
        long next = System.nanoTime() + periodNanos;
        while (true) {
            synchronized (monitor) {
                while (true) {
                    if (stopped) {
                        return false;
                    }
                    // Checked under the monitor: a change that happens after this check wakes the wait below.
                    if (logExists.getAsBoolean()) {
                        return true;
                    }
                    long left = periodNanos > 0 ? next - System.nanoTime() : Long.MAX_VALUE;
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
            }
            heartbeat.run();
            next = System.nanoTime() + periodNanos;
        }
    }
}
