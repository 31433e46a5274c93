package io.binlogbridge.replayer.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LogWaitTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(100);
    final LogWait wait = new LogWait();
    final AtomicBoolean logExists = new AtomicBoolean();
    final AtomicInteger heartbeats = new AtomicInteger();

    /** Runs {@link LogWait#await} on a thread of its own; the future holds its result, or what it threw. */
    CompletableFuture<Object> waiting(long periodNanos, AtomicLong threadId) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(wait.await(logExists::get, periodNanos, heartbeats::incrementAndGet));
            } catch (Throwable e) {
                result.complete(e);
            }
        }, "log-wait-test");
        t.setDaemon(true);
        threadId.set(t.getId());
        t.start();
        return result;
    }

    @Test
    void heartbeatsAtThePeriodWithoutBusyWaiting() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong id = new AtomicLong();
        long start = System.nanoTime();
        CompletableFuture<Object> result = waiting(PERIOD, id);
        Thread.sleep(1_000);
        long cpu = threads.getThreadCpuTime(id.get());
        int beats = heartbeats.get();
        double periods = (System.nanoTime() - start) / (double) PERIOD;
        assertFalse(result.isDone(), "still waiting for the log");
        assertTrue(beats >= 5 && beats <= periods + 1, beats + " heartbeats in " + periods + " periods");
        // A waiter that polled or spun would burn the better part of the second it waited.
        assertTrue(cpu < TimeUnit.MILLISECONDS.toNanos(150), "waiting used " + cpu / 1_000_000 + " ms of CPU");
        wait.stop();
        assertEquals(false, result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theLogAppearingEndsTheWaitAtOnce() throws Exception {
        CompletableFuture<Object> result = waiting(TimeUnit.SECONDS.toNanos(60), new AtomicLong());
        Thread.sleep(200);
        assertFalse(result.isDone());
        logExists.set(true);
        wait.wake();
        // Long before the next heartbeat would have checked the log again.
        assertEquals(true, result.get(5, TimeUnit.SECONDS));
        assertEquals(0, heartbeats.get());
    }

    @Test
    void stopEndsTheWaitAtOnce() throws Exception {
        CompletableFuture<Object> result = waiting(TimeUnit.SECONDS.toNanos(60), new AtomicLong());
        Thread.sleep(200);
        long stopped = System.nanoTime();
        wait.stop();
        assertEquals(false, result.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, heartbeats.get());
    }

    @Test
    void noPeriodMeansNoHeartbeat() throws Exception {
        CompletableFuture<Object> result = waiting(0, new AtomicLong());
        Thread.sleep(300);
        assertFalse(result.isDone());
        logExists.set(true);
        wait.wake();
        assertEquals(true, result.get(5, TimeUnit.SECONDS));
        assertEquals(0, heartbeats.get());
    }

    @Test
    void aLogThatExistsIsNotWaitedFor() throws Exception {
        logExists.set(true);
        assertTrue(wait.await(logExists::get, PERIOD, heartbeats::incrementAndGet));
        assertEquals(0, heartbeats.get());
    }

    @Test
    void interruptionEndsTheWait() throws Exception {
        Thread.currentThread().interrupt();
        CompletableFuture<Object> result = new CompletableFuture<>();
        try {
            result.complete(wait.await(logExists::get, PERIOD, heartbeats::incrementAndGet));
        } catch (InterruptedException e) {
            result.complete(e);
        }
        assertInstanceOf(InterruptedException.class, result.get());
    }
}
