package io.binlogbridge.it.cdc;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Commits rows 1, 2, 3… into a table {@code (id INT, v VARCHAR)}, one per transaction, on a thread of its own until stopped. */
final class RowWriter implements AutoCloseable {
    private final SourceDatabase source;
    private final String table;
    private final AtomicInteger committed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    RowWriter(SourceDatabase source, String table) {
        this.source = source;
        this.table = table;
        this.thread = new Thread(this::write, "row-writer");
    }

    void start() {
        thread.start();
    }

    private void write() {
        try (Connection c = source.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            while (!stopping) {
                int id = committed.get() + 1;
                insert.setInt(1, id);
                insert.setString(2, "row " + id);
                insert.executeUpdate();
                committed.set(id);
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    int committed() {
        return committed.get();
    }

    void awaitCommitted(int rows, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committed.get() < rows) {
            if (failure != null || System.nanoTime() > deadline) {
                throw new AssertionError("the writer committed " + committed.get() + " of " + rows + " rows", failure);
            }
            Thread.sleep(10);
        }
    }

    /** Stops after the row in progress; returns how many rows were committed. */
    int stop() throws InterruptedException {
        stopping = true;
        thread.join();
        if (failure != null) {
            throw new AssertionError("the writer failed", failure);
        }
        return committed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(10_000);
    }
}
