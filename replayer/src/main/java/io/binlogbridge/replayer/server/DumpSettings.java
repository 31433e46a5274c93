package io.binlogbridge.replayer.server;

import io.binlogbridge.replayer.session.Session;

/**
 * What a replica SET before asking for the dump, read from its session's user variables.
 *
 * @param heartbeatPeriodNanos   {@code @master_heartbeat_period} (or {@code @source_heartbeat_period}); null = none
 * @param masterBinlogChecksum   {@code @master_binlog_checksum} (or {@code @source_binlog_checksum}): CRC32, NONE,
 *                               or null when the client never set it (an old client that cannot handle checksums)
 * @param slaveConnectState      MariaDB {@code @slave_connect_state}: the GTID position to start from; null = none
 * @param mariaDbSlaveCapability MariaDB {@code @mariadb_slave_capability}; null when not a MariaDB replica
 * @param replicaUuid            {@code @slave_uuid} or {@code @replica_uuid}; null = none
 * @param slaveGtidStrictMode    MariaDB {@code @slave_gtid_strict_mode}
 * @param slaveGtidIgnoreDuplicates MariaDB {@code @slave_gtid_ignore_duplicates}
 * @param mariaDbClient          the client is MariaDB-flavored (its 0x02 dump flag means ANNOTATE_ROWS)
 */
public record DumpSettings(
        Long heartbeatPeriodNanos,
        String masterBinlogChecksum,
        String slaveConnectState,
        Long mariaDbSlaveCapability,
        String replicaUuid,
        boolean slaveGtidStrictMode,
        boolean slaveGtidIgnoreDuplicates,
        boolean mariaDbClient) {

    public static DumpSettings from(Session session) {
        return new DumpSettings(
                first(session.userVariableLong("master_heartbeat_period"), session.userVariableLong("source_heartbeat_period")),
                first(session.userVariableString("master_binlog_checksum"), session.userVariableString("source_binlog_checksum")),
                session.userVariableString("slave_connect_state"),
                session.userVariableLong("mariadb_slave_capability"),
                first(session.userVariableString("slave_uuid"), session.userVariableString("replica_uuid")),
                truthy(session.userVariableString("slave_gtid_strict_mode")),
                truthy(session.userVariableString("slave_gtid_ignore_duplicates")),
                session.mariaDbClient());
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("ON") || v.equalsIgnoreCase("TRUE"));
    }
}
