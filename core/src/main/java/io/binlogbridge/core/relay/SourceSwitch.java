package io.binlogbridge.core.relay;

import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.record.ResumePoint;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.replica.SourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a source other than the log's last one may continue the log as a new term, decided from the
 * source itself: it must be of the same replication family and already hold every transaction the log
 * holds, so that the new term can start right after the log's last transaction and no GTID ever enters
 * the log twice. Every refusal is a {@link SourceException} that is not retryable: restarting would
 * meet the same source.
 */
public final class SourceSwitch {
    /** Longer GTID texts are cut in messages: one line must stay readable. */
    static final int MAX_GTID_TEXT = 200;

    private SourceSwitch() {}

    /** The log's last record came from this very server (MySQL: server_uuid; MariaDB, which has none: server_id). */
    public static boolean sameSource(ResumePoint last, SourceIdentity candidate) {
        return candidate.isMariaDb()
                ? last.serverId() == candidate.serverId()
                : Objects.equals(last.serverUuid(), candidate.serverUuid());
    }

    /** How messages name a server: its address and identity. */
    public static String describe(String address, String serverUuid, long serverId) {
        return (address == null ? "" : address + " ") + "(" + (serverUuid == null ? "" : "server_uuid " + serverUuid + ", ") + "server_id " + serverId + ")";
    }

    /**
     * MySQL: the candidate's {@code @@global.gtid_executed} must contain the log's GTID set.
     *
     * @throws SourceException naming what the candidate lacks, or that it shares no history with the log
     */
    public static void checkMySql(String logName, MySqlGtidSet log, String candidate, MySqlGtidSet executed) throws SourceException {
        if (executed.contains(log)) {
            return;
        }
        if (!executed.sharesUuidWith(log)) {
            throw refusal(candidate + " shares no GTID history with " + logName + " (its gtid_executed '" + abbreviate(executed.toString())
                    + "' has no server_uuid in common with the log's '" + abbreviate(log.toString())
                    + "'): it is a server of another cluster; point the relay at a server of the log's cluster");
        }
        MySqlGtidSet missing = log.subtract(executed);
        throw lacks(logName, candidate, missing.count(), abbreviate(missing.toString()), "SOURCE_AUTO_POSITION=1");
    }

    /**
     * MariaDB: the candidate's GTID position ({@code @@global.gtid_binlog_pos}: what its binlog holds, which is what
     * the relay reads) must cover the log's in every replication domain: a sequence number at least the log's last.
     *
     * @throws SourceException naming what the candidate lacks, or that it shares no domain with the log
     */
    public static void checkMariaDb(String logName, MariaDbGtidPosition log, String candidate, MariaDbGtidPosition binlogPos)
            throws SourceException {
        long count = 0;
        List<String> ranges = new ArrayList<>();
        boolean commonDomain = false;
        for (MariaDbGtid last : log.gtids()) {
            MariaDbGtid has = binlogPos.get(last.domainId());
            commonDomain |= has != null;
            long hasSeq = has == null ? 0 : has.seqNo();
            if (Long.compareUnsigned(hasSeq, last.seqNo()) < 0) {
                long first = hasSeq + 1;
                count += last.seqNo() - hasSeq;
                ranges.add(first == last.seqNo() ? last.toString()
                        : last.domainId() + "-" + last.serverId() + "-" + first + ".." + last);
            }
        }
        if (ranges.isEmpty()) {
            return;
        }
        if (!commonDomain && !binlogPos.isEmpty()) {
            throw refusal(candidate + " shares no replication domain with " + logName + " (its gtid_binlog_pos '" + abbreviate(binlogPos.toString())
                    + "', the log's '" + abbreviate(log.toString()) + "'): it is a server of another cluster;"
                    + " point the relay at a server of the log's cluster");
        }
        throw lacks(logName, candidate, count, abbreviate(String.join(",", ranges)), "MASTER_USE_GTID=slave_pos");
    }

    private static SourceException lacks(String logName, String candidate, long count, String which, String gtidOption) {
        return refusal(candidate + " lacks " + count + " transaction" + (count == 1 ? "" : "s") + " that " + logName + " holds (" + which
                + "): feed it first, by pointing it at the replayer (CHANGE REPLICATION SOURCE TO ... " + gtidOption
                + ") until it has them, then restart the relay");
    }

    static SourceException refusal(String message) {
        return new SourceException("refusing to switch sources: " + message, false, null);
    }

    static String abbreviate(String gtids) {
        String oneLine = gtids.replace("\n", "");
        return oneLine.length() <= MAX_GTID_TEXT ? oneLine : oneLine.substring(0, MAX_GTID_TEXT) + "…";
    }
}
