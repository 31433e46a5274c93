package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replicas.Replicas;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** MySQL replicas of the benchmark's source: the baselines that binlog-bridge is compared with. */
final class BenchReplicas {
    /** The resolution of the replicas' catch-up times; the relay's topic is polled as often. */
    private static final Duration POLL = Duration.ofMillis(250);

    private BenchReplicas() {}

    /** A GTID replica that does not replicate until told to. */
    static MySqlServer start(String name, int serverId, String... extraArgs) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name(name)
                .extraArgs("--relay-log=relay", "--skip-slave-start").extraArgs(extraArgs).start();
    }

    /** CHANGE MASTER TO the source as the relay's replication user, GTID auto-position. */
    static String changeMasterTo(SourceDatabase source) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port() + ", MASTER_USER='"
                + MeasuredRelay.SOURCE_USER + "', MASTER_PASSWORD='" + MeasuredRelay.SOURCE_PASSWORD
                + "', GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1";
    }

    /** Waits until the IO thread has received the source's binlog up to {@code end}. */
    static void awaitReceived(MySqlServer replica, Coordinates end, Duration timeout) throws Exception {
        await(replica, st -> end.reachedBy(st.get("Master_Log_File"), Long.parseLong(st.get("Read_Master_Log_Pos"))),
                timeout, "the IO thread to receive up to " + end);
    }

    /** Waits until the replica has applied every transaction of {@code gtidSet}. */
    static void awaitApplied(MySqlServer replica, String gtidSet, Duration timeout) throws Exception {
        String query = "SELECT GTID_SUBSET('" + gtidSet + "', @@global.gtid_executed)";
        await(replica, st -> "1".equals(replica.queryString(query)), timeout, "the replica to apply " + gtidSet);
    }

    /** Polls SHOW SLAVE STATUS on one connection (a connection per poll would cost the measured replica CPU). */
    private static void await(MySqlServer replica, Predicate<Map<String, String>> done, Duration timeout, String what)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = replica.connect()) {
            while (true) {
                Map<String, String> status = Replicas.slaveStatus(c);
                if (done.test(status)) {
                    return;
                }
                if (!"0".equals(status.getOrDefault("Last_IO_Errno", "0")) || !"0".equals(status.getOrDefault("Last_SQL_Errno", "0"))
                        || System.nanoTime() > deadline) {
                    throw new IllegalStateException("waiting for " + what + ": " + Replicas.describe(status));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }
}
