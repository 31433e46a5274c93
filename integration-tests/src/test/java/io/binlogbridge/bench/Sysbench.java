package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** sysbench oltp_write_only on small tables of a source, at a fixed transaction rate. */
final class Sysbench {
    private static final String USER = "sbtest";
    private static final String PASSWORD = "sbtest-Secret1";
    private static final int TABLES = 4;
    private static final int TABLE_SIZE = 10_000;
    private static final Pattern TRANSACTIONS = Pattern.compile("transactions:\\s+(\\d+)\\s+\\(([\\d.]+) per sec");
    private static final Pattern LATENCY_95 = Pattern.compile("95th percentile:\\s+([\\d.]+)");

    /** What sysbench reported; its 95th percentile latency is of the whole transaction, in ms. */
    record Result(long transactions, double perSecond, double latency95Ms) {
        Map<String, Object> toJson() {
            return Json.object("transactions", transactions, "transactionsPerSecond", perSecond, "latency95Ms", latency95Ms);
        }
    }

    private final SourceDatabase db;

    private Sysbench(SourceDatabase db) {
        this.db = db;
    }

    /**
     * Creates sbtest and its user (mysql_native_password: sysbench's libmariadb client cannot do
     * caching_sha2_password's full authentication without TLS) and the tables.
     */
    static Sysbench prepare(SourceDatabase db) {
        db.execute("CREATE DATABASE sbtest",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED WITH mysql_native_password BY '" + PASSWORD + "'",
                "GRANT ALL ON sbtest.* TO '" + USER + "'@'%'");
        Sysbench sysbench = new Sysbench(db);
        sysbench.execute(List.of("prepare"), Duration.ofMinutes(5));
        return sysbench;
    }

    /** {@code --rate} transactions a second from {@code threads} threads for {@code seconds}. */
    Result run(int rate, int threads, int seconds) {
        String output = execute(List.of("--threads=" + threads, "--rate=" + rate, "--time=" + seconds, "run"),
                Duration.ofSeconds(seconds + 120));
        Matcher tx = TRANSACTIONS.matcher(output);
        Matcher latency = LATENCY_95.matcher(output);
        if (!tx.find()) {
            throw new IllegalStateException("no transaction count in sysbench's output:\n" + output);
        }
        return new Result(Long.parseLong(tx.group(1)), Double.parseDouble(tx.group(2)),
                latency.find() ? Double.parseDouble(latency.group(1)) : Double.NaN);
    }

    static String version() {
        return BenchmarkHarness.commandOutput("sysbench", "--version");
    }

    private String execute(List<String> command, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of("sysbench", "oltp_write_only", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + db.port(), "--mysql-user=" + USER,
                "--mysql-password=" + PASSWORD, "--mysql-db=sbtest", "--tables=" + TABLES, "--table-size=" + TABLE_SIZE));
        cmd.addAll(command);
        Path log = TestDirs.logsDir().resolve("sysbench-" + db.port() + "-" + command.get(command.size() - 1) + ".log");
        Processes.run(cmd, log, timeout);
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
