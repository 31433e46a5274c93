package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A continuous write load on a background thread: small autocommit INSERTs with increasing ids into
 * {@code bb.load}, a multi-row transaction every 10th write, and a {@code FLUSH BINARY LOGS} every
 * {@code rotateEvery} (when set). Survives a source restart (reconnects and goes on) if told to.
 */
public final class SourceLoad implements AutoCloseable {
    private final SourceDatabase db;
    private final Duration rotateEvery;
    private final boolean tolerateOutage;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    private SourceLoad(SourceDatabase db, Duration rotateEvery, boolean tolerateOutage) {
        this.db = db;
        this.rotateEvery = rotateEvery;
        this.tolerateOutage = tolerateOutage;
        this.thread = new Thread(this::run, "source-load");
        this.thread.setDaemon(true);
    }

    /** Creates bb.load and starts writing. */
    public static SourceLoad start(SourceDatabase db, Duration rotateEvery, boolean tolerateOutage) throws SQLException {
        Workloads.createLoadTable(db);
        SourceLoad load = new SourceLoad(db, rotateEvery, tolerateOutage);
        load.thread.start();
        return load;
    }

    private void run() {
        long lastRotate = System.nanoTime();
        while (!stop) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (!stop) {
                    long id = nextId.get();
                    if (id % 10 == 0) {
                        c.setAutoCommit(false);
                        s.execute("INSERT INTO bb.load VALUES (" + id + ", 'multi-a'), (" + (id + 1) + ", 'multi-b')");
                        s.execute("UPDATE bb.load SET pad = CONCAT(pad, '-u') WHERE id = " + id);
                        s.execute("INSERT INTO bb.load VALUES (" + (id + 2) + ", REPEAT('m', 150))");
                        c.commit();
                        c.setAutoCommit(true);
                        nextId.addAndGet(3);
                    } else {
                        s.execute("INSERT INTO bb.load VALUES (" + id + ", 'row-" + id + "')");
                        nextId.incrementAndGet();
                    }
                    transactions.incrementAndGet();
                    if (rotateEvery != null && System.nanoTime() - lastRotate > rotateEvery.toNanos()) {
                        s.execute("FLUSH BINARY LOGS");
                        rotations.incrementAndGet();
                        lastRotate = System.nanoTime();
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | SQLException e) {
                if (stop) {
                    return;
                }
                if (!tolerateOutage) {
                    failure.compareAndSet(null, e);
                    return;
                }
                // The source is restarting: a write in flight may or may not have committed; the next
                // id is re-read from the table so ids keep increasing either way.
                try {
                    Thread.sleep(200);
                    String max = db.queryString("SELECT COALESCE(MAX(id), 0) + 1 FROM bb.load");
                    nextId.set(Long.parseLong(max));
                } catch (InterruptedException ie) {
                    return;
                } catch (RuntimeException again) {
                    // Still down: retry.
                }
            }
        }
    }

    /** Transactions committed by the load (not counting those in doubt across a source restart). */
    public long transactions() {
        return transactions.get();
    }

    public long rotations() {
        return rotations.get();
    }

    /** Stops the load and waits for its thread; fails if the load failed. */
    public void stopAndCheck() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError("the write load failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(30_000);
    }
}
