package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** SQL workloads run against a source. */
public final class Workloads {
    private Workloads() {}

    /**
     * DDL, multi-statement transactions, a 64 MiB BLOB row, a transaction of about 200 MB and
     * binlog rotations: what the byte-identity proof must cover.
     */
    public static void mixedWithHugeRows(SourceDatabase db) throws SQLException {
        Random random = new Random(7);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS bb");
            s.execute("CREATE TABLE bb.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(100), b LONGBLOB) ENGINE=InnoDB");
            c.setAutoCommit(false);
            for (int i = 0; i < 20; i++) {
                s.execute("INSERT INTO bb.t (v) VALUES ('a" + i + "'), ('b" + i + "'), ('c" + i + "')");
                s.execute("UPDATE bb.t SET v = CONCAT(v, 'x') WHERE v = 'a" + i + "'");
                s.execute("DELETE FROM bb.t WHERE v = 'b" + i + "'");
                c.commit();
            }
            c.setAutoCommit(true);
            s.execute("ALTER TABLE bb.t ADD COLUMN n INT NULL");
            s.execute("FLUSH BINARY LOGS");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO bb.t (v, b) VALUES (?, ?)")) {
                byte[] big = new byte[64 << 20];
                random.nextBytes(big);
                p.setString(1, "64MiB");
                p.setBytes(2, big);
                p.executeUpdate();
            }
            s.execute("FLUSH BINARY LOGS");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO bb.t (v, b) VALUES (?, ?)")) {
                byte[] row = new byte[1 << 20];
                for (int i = 0; i < 200; i++) {
                    random.nextBytes(row);
                    p.setString(1, "big-txn-" + i);
                    p.setBytes(2, row);
                    p.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            s.execute("CREATE TABLE bb.u (id INT PRIMARY KEY, note TEXT)");
            for (int i = 0; i < 50; i++) {
                s.execute("INSERT INTO bb.u VALUES (" + i + ", REPEAT('z', " + (i * 37) + "))");
            }
            s.execute("DROP TABLE bb.u");
            s.execute("FLUSH BINARY LOGS");
            s.execute("INSERT INTO bb.t (v) VALUES ('after-last-rotate')");
        }
    }

    /** One transaction inserting {@code rows} rows of {@code bytes} random bytes into {@code table} (id INT, b BLOB), ids from {@code firstId}. */
    public static void insertInOneTransaction(SourceDatabase db, String table, int firstId, int rows, int bytes) throws SQLException {
        Random random = new Random(firstId);
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            c.setAutoCommit(false);
            byte[] row = new byte[bytes];
            for (int i = 0; i < rows; i++) {
                random.nextBytes(row);
                p.setInt(1, firstId + i);
                p.setBytes(2, row);
                p.executeUpdate();
            }
            c.commit();
        }
    }

    /** Small autocommit inserts into bb.load (id = the sequence number), numbered from {@code from}. */
    public static void createLoadTable(SourceDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS bb");
            s.execute("CREATE TABLE IF NOT EXISTS bb.load (id BIGINT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB");
        }
    }
}
