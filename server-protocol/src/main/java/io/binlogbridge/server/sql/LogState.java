package io.binlogbridge.server.sql;

import java.util.List;

/**
 * What the query answers need to know about the log being served. The dump part implements this
 * from its index of the Kafka topic; {@link StaticLogState} is a fixed one for tests and for running
 * the protocol server before the topic is wired. Called on event loop threads: must not block.
 */
public interface LogState {
    /** The source as replicas should see it (may change with a new term of the log). */
    ServerIdentity identity();

    /** The binary log files a replica can ask for, oldest first, with their sizes. */
    List<BinaryLog> binaryLogs();

    /** The end of the log: SHOW MASTER STATUS's File and Position. */
    BinlogPosition currentPosition();

    /** MySQL gtid_executed (uuid:intervals) or MariaDB gtid_binlog_pos (domain-server-seq,...); "" when none. */
    String gtidExecuted();

    /** MySQL gtid_purged; "" when none. */
    String gtidPurged();
}
