package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Row-event binlog on a MySQL or MariaDB source, the same SQL on both so that their catch-up figures compare: 100-row
 * transactions of 1000 random bytes per row (random, so that nothing on the way compresses it).
 */
final class Backlog {
    /** Rows of bench.seq, the row source of the generators (MySQL has no sequence engine). */
    static final int SEQ_ROWS = 1024;
    private static final int ROWS_PER_TRANSACTION = 100;
    /** The table is emptied this often so that it stays in the buffer pool; TRUNCATE logs one small statement. */
    private static final int TRANSACTIONS_PER_TRUNCATE = 1000;
    private static final int TRANSACTIONS_PER_SIZE_CHECK = 100;

    private Backlog() {}

    /** bench.seq (0..1023) and bench.t, once. */
    static void createSchema(SourceDatabase db) {
        if (db.queryString("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'bench' AND table_name = 'seq'")
                .equals("1")) {
            return;
        }
        db.execute("CREATE DATABASE IF NOT EXISTS bench",
                "CREATE TABLE bench.seq (n INT PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO bench.seq VALUES " + IntStream.range(0, SEQ_ROWS).mapToObj(i -> "(" + i + ")")
                        .collect(Collectors.joining(",")),
                "CREATE TABLE bench.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT, payload VARBINARY(1024)) ENGINE=InnoDB");
    }

    /** Writes transactions until the source's binlog files hold at least {@code targetBytes}; returns their size. */
    static long generate(SourceDatabase db, long targetBytes) throws SQLException {
        createSchema(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long total = binlogBytes(db);
            for (long n = 1; total < targetBytes; n++) {
                s.execute("INSERT INTO bench.t (k, payload) SELECT n, RANDOM_BYTES(1000) FROM bench.seq WHERE n < "
                        + ROWS_PER_TRANSACTION);
                if (n % TRANSACTIONS_PER_TRUNCATE == 0) {
                    s.execute("TRUNCATE TABLE bench.t");
                }
                if (n % TRANSACTIONS_PER_SIZE_CHECK == 0) {
                    total = binlogBytes(db);
                }
            }
            return binlogBytes(db);
        }
    }

    /** The size of all the source's binlog files ({@code SHOW BINARY LOGS}). */
    static long binlogBytes(SourceDatabase db) {
        return db.queryRows("SHOW BINARY LOGS").stream().mapToLong(row -> Long.parseLong(row.get(1))).sum();
    }
}
