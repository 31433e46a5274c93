package io.binlogbridge.core.binlog;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

/**
 * Finds where MySQL and MariaDB transactions begin and end in an event stream, one event at a time.
 *
 * <ul>
 *   <li>MySQL: GTID (or ANONYMOUS_GTID) then either {@code BEGIN} … XID / {@code COMMIT} /
 *       {@code ROLLBACK} / XA_PREPARE, or a single statement (DDL, {@code XA COMMIT}); a
 *       TRANSACTION_PAYLOAD (binlog compression) holds the whole transaction.</li>
 *   <li>MariaDB: its GTID event is the BEGIN; with FL_STANDALONE exactly one statement follows,
 *       otherwise the group ends with XID / {@code COMMIT} / {@code ROLLBACK} / XA_PREPARE.</li>
 *   <li>Without GTID events (old formats): a {@code BEGIN} query opens a group; any other query
 *       outside a group is a group of its own.</li>
 * </ul>
 * Everything else outside a group (FORMAT_DESCRIPTION, PREVIOUS_GTIDS, ROTATE, STOP, …) is outside.
 */
public final class TransactionBoundaries {
    /** The event opens a transaction. */
    public static final int STARTS = 1;
    /** The event closes the open transaction (it may also have opened it). */
    public static final int ENDS = 2;
    /** The event is inside an open transaction. */
    public static final int INSIDE = 4;
    /** The event belongs to no transaction. */
    public static final int OUTSIDE = 0;

    private boolean open;
    private boolean mysqlAwaitingFirstStatement;
    private boolean mariaDbStandalone;

    public boolean isOpen() {
        return open;
    }

    public void reset() {
        open = false;
        mysqlAwaitingFirstStatement = false;
        mariaDbStandalone = false;
    }

    /** Classifies the event at {@code off}; returns a combination of STARTS, ENDS, INSIDE or OUTSIDE. */
    public int onEvent(byte[] b, int off, int checksumAlgorithm) {
        int type = EventHeader.type(b, off);
        switch (type) {
            case GTID_LOG_EVENT:
            case ANONYMOUS_GTID_LOG_EVENT:
            case GTID_TAGGED_LOG_EVENT:
                open = true;
                mysqlAwaitingFirstStatement = true;
                mariaDbStandalone = false;
                return STARTS;
            case MARIADB_GTID_EVENT:
                open = true;
                mysqlAwaitingFirstStatement = false;
                mariaDbStandalone = (b[off + LOG_EVENT_HEADER_LEN + 12] & FL_STANDALONE) != 0;
                return STARTS;
            case QUERY_EVENT:
            case QUERY_COMPRESSED_EVENT:
                return onQuery(b, off, checksumAlgorithm, type == QUERY_COMPRESSED_EVENT);
            case XID_EVENT:
            case XA_PREPARE_LOG_EVENT:
            case TRANSACTION_PAYLOAD_EVENT:
                if (!open) {
                    return OUTSIDE;
                }
                close();
                return ENDS;
            default:
                if (open) {
                    mysqlAwaitingFirstStatement = false;
                    return INSIDE;
                }
                return OUTSIDE;
        }
    }

    private int onQuery(byte[] b, int off, int alg, boolean compressed) {
        // A compressed query's text is not readable in place; MariaDB only compresses DML/DDL
        // statements, never BEGIN/COMMIT, so treat it as an ordinary statement.
        boolean begin = !compressed && QueryEvent.isBegin(b, off, alg);
        boolean commit = !compressed && QueryEvent.isCommitOrRollback(b, off, alg);
        if (!open) {
            if (begin) {
                open = true;
                return STARTS;
            }
            return STARTS | ENDS;
        }
        if (mysqlAwaitingFirstStatement) {
            mysqlAwaitingFirstStatement = false;
            if (begin) {
                return INSIDE;
            }
            close();
            return ENDS;
        }
        if (mariaDbStandalone || commit) {
            close();
            return ENDS;
        }
        return INSIDE;
    }

    private void close() {
        open = false;
        mysqlAwaitingFirstStatement = false;
        mariaDbStandalone = false;
    }
}
