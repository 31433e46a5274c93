package io.binlogbridge.it.replicas;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live write load on a source, in its own schema: a writer of single and multi-row transactions
 * (inserts of a gap-free id sequence into {@code seq}, updates and deletes of {@code churn}), and a DDL
 * thread creating, altering, filling and dropping tables. Runs until {@link #stop()}.
 */
final class WriteLoad implements AutoCloseable {
    private final SourceDatabase db;
    private final String schema;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong ddlRounds = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    WriteLoad(SourceDatabase db, String schema) {
        this.db = db;
        this.schema = schema;
    }

    String schema() {
        return schema;
    }

    /** The last id inserted into {@code seq} (ids are 1..n without gap). */
    long lastSeq() {
        return seq.get();
    }

    WriteLoad prepare() {
        db.execute("CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".seq (id BIGINT PRIMARY KEY, writer INT NOT NULL, pad VARCHAR(100), "
                        + "at DATETIME(6) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE " + schema + ".churn (id INT PRIMARY KEY, balance BIGINT NOT NULL, note VARCHAR(200), "
                        + "amount DECIMAL(12,2)) ENGINE=InnoDB");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            rows.append(i == 0 ? "" : ",").append("(").append(i).append(", 0, 'n").append(i).append("', 1.50)");
        }
        db.execute("INSERT INTO " + schema + ".churn VALUES " + rows);
        return this;
    }

    WriteLoad start() {
        running.set(true);
        threads.add(thread("writer", this::writer));
        threads.add(thread("ddl", this::ddl));
        threads.forEach(Thread::start);
        return this;
    }

    /** Stops the load and rethrows what failed in it. */
    void stop() throws Exception {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        threads.clear();
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("write load failed", t);
        }
    }

    /**
     * Keeps the load running until it went through ten DDL rounds (a DROP and a TRUNCATE among them) and
     * {@code replica} applied at least {@code rows} of its {@code seq} rows while it ran: the replica follows a live
     * load, not only a backlog.
     */
    void runUntilFollowed(SourceDatabase replica, long rows, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long applied = 0;
        while (System.nanoTime() < deadline) {
            if (failure.get() != null) {
                throw new AssertionError("write load failed", failure.get());
            }
            applied = appliedRows(replica);
            if (ddlRounds.get() >= 10 && applied >= rows) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("within " + timeout + " the replica applied " + applied + " of the load's " + seq.get()
                + " seq rows (wanted " + rows + ") and the load did " + ddlRounds.get() + " DDL rounds (wanted 10)");
    }

    private long appliedRows(SourceDatabase replica) {
        String exists = replica.queryString("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                + schema + "' AND table_name = 'seq'");
        return "0".equals(exists) ? 0 : Long.parseLong(replica.queryString("SELECT COUNT(*) FROM " + schema + ".seq"));
    }

    /** At least one round of DDL and some transactions happened. */
    boolean didWork() {
        return ddlRounds.get() > 0 && seq.get() > 0;
    }

    private Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "load-" + schema + "-" + name);
        t.setDaemon(true);
        return t;
    }

    private interface Body {
        void run() throws Exception;
    }

    private void writer() throws SQLException {
        Random random = new Random(schema.hashCode());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long round = 0;
            while (running.get()) {
                round++;
                if (round % 4 == 0) {
                    // A multi-statement transaction: multi-row insert, updates, a delete and a re-insert.
                    c.setAutoCommit(false);
                    long a = seq.get() + 1;
                    s.execute("INSERT INTO " + schema + ".seq VALUES (" + a + ", 1, REPEAT('m', " + random.nextInt(100)
                            + "), NOW(6)), (" + (a + 1) + ", 1, NULL, NOW(6)), (" + (a + 2) + ", 1, 'x', NOW(6))");
                    int id = random.nextInt(200);
                    s.execute("UPDATE " + schema + ".churn SET balance = balance + " + random.nextInt(1000)
                            + ", note = CONCAT('u', " + round + "), amount = amount + 0.25 WHERE id BETWEEN " + id + " AND " + (id + 5));
                    s.execute("DELETE FROM " + schema + ".churn WHERE id = " + id);
                    s.execute("INSERT INTO " + schema + ".churn VALUES (" + id + ", " + round + ", NULL, 0.01)");
                    c.commit();
                    c.setAutoCommit(true);
                    seq.set(a + 2);
                } else {
                    long a = seq.get() + 1;
                    s.execute("INSERT INTO " + schema + ".seq VALUES (" + a + ", 0, 'p" + a + "', NOW(6))");
                    seq.set(a);
                }
            }
        }
    }

    private void ddl() throws SQLException, InterruptedException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            int i = 0;
            while (running.get()) {
                i++;
                String t = schema + ".ddl_" + i;
                s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(50)) ENGINE=InnoDB");
                s.execute("INSERT INTO " + t + " (v) VALUES ('a'), ('b'), ('c')");
                s.execute("ALTER TABLE " + t + " ADD COLUMN n INT NOT NULL DEFAULT " + i + ", ADD INDEX (v)");
                s.execute("INSERT INTO " + t + " (v, n) VALUES ('d', -1)");
                s.execute("UPDATE " + t + " SET v = CONCAT(v, '!') WHERE id % 2 = 0");
                if (i % 3 == 0) {
                    s.execute("DROP TABLE " + schema + ".ddl_" + (i - 1));
                }
                if (i % 5 == 0) {
                    s.execute("TRUNCATE TABLE " + t);
                }
                ddlRounds.incrementAndGet();
                Thread.sleep(150);
            }
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
