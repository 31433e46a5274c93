package io.binlogbridge.relay.admin;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.relay.LogGtidState;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.relay.RelaySettings;
import io.binlogbridge.relay.ops.RelayProgress;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ReplicaStatusColumns;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHOW REPLICA STATUS for the relay: MySQL 8.0's columns, in its order and with its names (the SLAVE spelling
 * gets the Master_/Slave_ names; {@link ReplicaStatusColumns}), so that HA tools read the fields they know. What MySQL splits between a
 * receiver and an applier is one thread here: Read_Source_Log_Pos is what the relay read, Exec_Source_Log_Pos
 * what Kafka committed, and Retrieved_Gtid_Set and Executed_Gtid_Set are the log's GTID state. A log from
 * MariaDB also gets MariaDB's Using_Gtid and Gtid_IO_Pos.
 */
final class ReplicaStatus {
    private static final Logger log = LoggerFactory.getLogger(ReplicaStatus.class);
    private static final DateTimeFormatter ERROR_TIMESTAMP = DateTimeFormatter.ofPattern("yyMMdd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ReplicaThread replica;
    private final RelayProgress progress;
    private final LogGtidStateCache gtids;

    ReplicaStatus(ReplicaThread replica, RelayProgress progress, LogGtidStateCache gtids) {
        this.replica = replica;
        this.progress = progress;
        this.gtids = gtids;
    }

    QueryResult.ResultSet resultSet(boolean replicaSpelling) {
        return ReplicaStatusColumns.resultSet(row(), replicaSpelling);
    }

    private Map<String, String> row() {
        RelaySettings settings = replica.settings();
        ReplicaThread.State state = replica.state();
        SourceReplication pass = progress.pass();
        OutgoingRecord read = pass == null ? null : pass.lastRead();
        OutgoingRecord committed = progress.lastCommitted();
        if (read == null) {
            read = committed;
        }
        SourceIdentity source = pass != null && pass.identity() != null ? pass.identity() : progress.source();
        IoError error = replica.lastError();
        LogGtidState logGtids = gtids.current();
        String gtidText = logGtids == null ? "" : logGtids.text();
        boolean running = state != ReplicaThread.State.STOPPED;
        double behind = progress.secondsBehindSource();

        Map<String, String> r = ReplicaStatusColumns.emptyRow();
        r.put("Replica_IO_State", switch (state) {
            case RUNNING -> "Waiting for source to send event";
            case CONNECTING -> "Connecting to source";
            case STOPPED -> "";
        });
        r.put("Source_Host", settings.source().host());
        r.put("Source_User", settings.source().user());
        r.put("Source_Port", Integer.toString(settings.source().port()));
        r.put("Connect_Retry", "30");
        r.put("Source_Log_File", read == null ? "" : read.file());
        r.put("Read_Source_Log_Pos", read == null ? "4" : Long.toString(read.endPosition()));
        // The relay's relay log is the Kafka topic; offsets in it are not binlog positions.
        r.put("Relay_Log_File", settings.topic());
        r.put("Relay_Log_Pos", "0");
        r.put("Relay_Source_Log_File", committed == null ? "" : committed.file());
        r.put("Replica_IO_Running", switch (state) {
            case RUNNING -> "Yes";
            case CONNECTING -> "Connecting";
            case STOPPED -> "No";
        });
        r.put("Replica_SQL_Running", running ? "Yes" : "No");
        for (String filter : List.of("Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
                "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table")) {
            r.put(filter, "");
        }
        r.put("Last_Errno", "0");
        r.put("Last_Error", "");
        r.put("Skip_Counter", "0");
        r.put("Exec_Source_Log_Pos", committed == null ? "0" : Long.toString(committed.endPosition()));
        r.put("Relay_Log_Space", "0");
        r.put("Until_Condition", "None");
        r.put("Until_Log_File", "");
        r.put("Until_Log_Pos", "0");
        r.put("Source_SSL_Allowed", "No");
        for (String ssl : List.of("Source_SSL_CA_File", "Source_SSL_CA_Path", "Source_SSL_Cert", "Source_SSL_Cipher", "Source_SSL_Key")) {
            r.put(ssl, "");
        }
        r.put("Seconds_Behind_Source", Double.isNaN(behind) ? null : Long.toString(Math.round(behind)));
        r.put("Source_SSL_Verify_Server_Cert", "No");
        r.put("Last_IO_Errno", error == null ? "0" : Integer.toString(error.errno()));
        r.put("Last_IO_Error", error == null ? "" : error.message());
        r.put("Last_SQL_Errno", "0");
        r.put("Last_SQL_Error", "");
        r.put("Replicate_Ignore_Server_Ids", "");
        r.put("Source_Server_Id", source == null ? "0" : Long.toString(source.serverId()));
        r.put("Source_UUID", source == null || source.serverUuid() == null ? "" : source.serverUuid());
        r.put("Source_Info_File", "");
        r.put("SQL_Delay", "0");
        r.put("SQL_Remaining_Delay", null);
        r.put("Replica_SQL_Running_State", running ? "Writing to Kafka topic " + settings.topic() : "");
        r.put("Source_Retry_Count", "86400");
        r.put("Source_Bind", "");
        r.put("Last_IO_Error_Timestamp", error == null ? "" : ERROR_TIMESTAMP.format(Instant.ofEpochMilli(error.millis())));
        r.put("Last_SQL_Error_Timestamp", "");
        r.put("Source_SSL_Crl", "");
        r.put("Source_SSL_Crlpath", "");
        r.put("Retrieved_Gtid_Set", gtidText);
        r.put("Executed_Gtid_Set", gtidText);
        r.put("Auto_Position", gtidText.isEmpty() ? "0" : "1");
        r.put("Replicate_Rewrite_DB", "");
        r.put("Channel_Name", "");
        r.put("Source_TLS_Version", "");
        r.put("Source_public_key_path", "");
        r.put("Get_Source_public_key", "0");
        r.put("Network_Namespace", "");
        if (logGtids != null && logGtids.flavor() == io.binlogbridge.schemas.Flavor.MARIADB) {
            r.put("Using_Gtid", "Slave_Pos");
            r.put("Gtid_IO_Pos", gtidText);
        }
        return r;
    }

    /**
     * The log's GTID state, read from the topic's tail (at most one binlog file of records, metadata only) and
     * read again only once Kafka has committed more, so that HA tools polling every second cost nothing while the
     * log does not move.
     */
    static final class LogGtidStateCache {
        private final RelayProgress progress;
        private final java.util.function.Supplier<RelaySettings> settings;
        private static final java.time.Duration STATUS_READ_TIMEOUT = java.time.Duration.ofSeconds(2);
        private long commitsSeen = -1;
        private LogGtidState state;

        LogGtidStateCache(RelayProgress progress, java.util.function.Supplier<RelaySettings> settings) {
            this.progress = progress;
            this.settings = settings;
        }

        synchronized LogGtidState current() {
            long commits = progress.commits();
            if (commits != commitsSeen || state == null) {
                RelaySettings s = settings.get();
                try {
                    state = LogGtidState.read(s.kafkaClient(), s.topic(), STATUS_READ_TIMEOUT);
                    commitsSeen = commits;
                } catch (RuntimeException e) {
                    // An empty topic (nothing relayed yet) or Kafka away: the state is unknown, not an error of the statement.
                    log.debug("cannot read the GTID state of topic {}: {}", s.topic(), e.getMessage());
                    return state;
                }
            }
            return state;
        }
    }
}
