package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.schemas.Flavor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns a dump request into a {@link DumpPlan}, or refuses it with the error MySQL would give:
 * unknown file, position out of the file, purged GTIDs, a replica ahead of the log. With {@code --archive}, a request
 * the topic cannot serve because its start was purged is planned in the archive ({@link ArchivePlanner}) before it is
 * refused.
 */
public final class DumpPlanner {
    /**
     * How long a GTID dump that asks for transactions of the log's own servers the log does not hold yet waits for
     * them before MySQL's error: a CDC tool that read its position on a query backend (a replica, which may be a
     * moment ahead of the relay) asks for exactly that.
     */
    public static final Duration AHEAD_WAIT = Duration.ofSeconds(10);

    private final LogIndex index;
    private final long aheadWaitNanos;
    /** {@code --archive}; null without one. */
    private final ArchiveHistory archive;

    public DumpPlanner(LogIndex index) {
        this(index, AHEAD_WAIT, null);
    }

    /** @param archive where purged history is served from; null: nowhere (ERROR 1236) */
    public DumpPlanner(LogIndex index, ArchiveHistory archive) {
        this(index, AHEAD_WAIT, archive);
    }

    DumpPlanner(LogIndex index, Duration aheadWait) {
        this(index, aheadWait, null);
    }

    DumpPlanner(LogIndex index, Duration aheadWait, ArchiveHistory archive) {
        this.index = index;
        this.aheadWaitNanos = aheadWait.toNanos();
        this.archive = archive;
    }

    /** The archive dumps read purged history from; null without {@code --archive}. */
    ArchiveHistory archive() {
        return archive;
    }

    public DumpPlan plan(DumpRequest request) throws DumpRefusedException, InterruptedException {
        List<IndexedFile> files = index.files();
        if (files.isEmpty()) {
            throw new DumpRefusedException("Binary log is not open");
        }
        if (request.gtid()) {
            return planMySqlGtid(request, files);
        }
        String connectState = request.settings().slaveConnectState();
        if (connectState != null && request.settings().mariaDbClient()) {
            return planMariaDbGtid(connectState, files);
        }
        return planPosition(request.binlogFile(), request.position(), files);
    }

    private DumpPlan planPosition(String fileName, long position, List<IndexedFile> files) throws DumpRefusedException, InterruptedException {
        LogIndex.LogStart start = index.logStart();
        IndexedFile file = fileName == null || fileName.isEmpty() ? start.file() : index.file(fileName);
        if (file == null && archive != null && fileName != null && !fileName.isEmpty()) {
            return ArchivePlanner.position(archivedFiles(), files.get(0).name(), fileName, position);
        }
        if (file == null || files.indexOf(file) < files.indexOf(start.file())) {
            // Before the log's start, as MySQL answers for a purged file.
            throw new DumpRefusedException("Could not find first log file name in binary log index file");
        }
        if (position < BinlogConstants.BIN_LOG_HEADER_SIZE) {
            throw new DumpRefusedException("Client requested master to start replication from position < 4");
        }
        if (file == start.file() && position < start.position()) {
            throw new DumpRefusedException("Client requested master to start replication from " + file.name() + ":" + position
                    + ", but the log holds " + file.name() + " only from position " + start.position()
                    + " (binlog-bridge started it there" + stateBeforeLog() + "). Start at " + file.name() + ":"
                    + start.position() + " or later, or with GTID auto-positioning");
        }
        if (position != index.size(file) && position == index.presentedSize(file)) {
            // The file's end as SHOW BINARY LOGS / SHOW MASTER STATUS present it, after a ROTATE renamed to a longer or
            // shorter name: the same place as the source's end, where the dump goes on to the next file.
            position = index.size(file);
        }
        // A replica moved from the source may know a position the log is about to hold: give the tail a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (position > index.size(file) && file == lastOf(index.files()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (position > index.size(file)) {
            throw new DumpRefusedException("Client requested master to start replication from position > file size");
        }
        if (file.header() == null) {
            throw new DumpRefusedException("Could not find format_description_event in binlog file");
        }
        if (position == BinlogConstants.BIN_LOG_HEADER_SIZE) {
            return new DumpPlan(file, file.headerOffset(), position, false, null, null);
        }
        return new DumpPlan(file, index.offsetAtOrBefore(file, position), position, true, null, null);
    }

    private DumpPlan planMySqlGtid(DumpRequest request, List<IndexedFile> files) throws DumpRefusedException, InterruptedException {
        MySqlGtidSet replica;
        try {
            byte[] data = request.gtidSet();
            replica = data == null || data.length == 0 ? MySqlGtidSet.empty() : MySqlGtidSet.decode(data, 0, data.length);
        } catch (IllegalArgumentException e) {
            throw new DumpRefusedException("Malformed GTID set in COM_BINLOG_DUMP_GTID: " + e.getMessage());
        }
        LogIndex.LogStart logStart = index.logStart();
        if (!logStart.gtidStateKnown()) {
            throw new DumpRefusedException("binlog-bridge: the log has a gap before " + logStart.file().name() + ":" + logStart.position()
                    + " and does not record which GTIDs it lacks (it was written by an older relay); replicate by file and position"
                    + " from there on");
        }
        MySqlGtidSet purged = index.mysqlPurged();
        DumpPlan archived = null;
        if (!replica.contains(purged)) {
            if (archive == null) {
                throw purged(replica, purged);
            }
            archived = ArchivePlanner.mySqlGtid(archivedFiles(), files.get(0).name(), replica, purged);
        }
        MySqlGtidSet executed = awaitExecuted(replica, request.nonBlocking() ? 0 : aheadWaitNanos);
        if (!executed.contains(replica)) {
            throw new DumpRefusedException("Slave has more GTIDs than the master has, using the master's SERVER_UUID. This may "
                    + "indicate that the end of the binary log was truncated or that the last binary log file was lost, e.g., after a "
                    + "power or disk failure when sync_binlog != 1. The master may or may not have rolled back transactions that were "
                    + "already replicated to the slave. Suggest to replicate any transactions that master has rolled back from slave to "
                    + "master, and/or commit empty transactions on master to account for transactions that have been committed on "
                    + "master but are not included in GTID_EXECUTED. (GTIDs the slave has and the log has not: '"
                    + replica.subtract(executed) + "')");
        }
        if (archived != null) {
            return archived;
        }
        // As MySQL: the newest file whose PREVIOUS_GTIDS the replica already has; earlier files hold nothing new. A later
        // term's first file starts with what the log held at the switch, not with its header's (older) set.
        IndexedFile start = null;
        for (int i = files.size() - 1; i >= 0; i--) {
            IndexedFile f = files.get(i);
            if (f.header() != null && replica.contains(MySqlGtidSet.parse(f.gtidsAtStart()))) {
                start = f;
                break;
            }
        }
        if (start == null) {
            throw new DumpRefusedException("Could not find first log file name in binary log index file");
        }
        return new DumpPlan(start, start.headerOffset(), BinlogConstants.BIN_LOG_HEADER_SIZE, false, replica, null);
    }

    private DumpPlan planMariaDbGtid(String connectState, List<IndexedFile> files) throws DumpRefusedException {
        MariaDbGtidPosition replica;
        try {
            replica = connectState.isBlank() ? MariaDbGtidPosition.empty() : MariaDbGtidPosition.parse(connectState);
        } catch (IllegalArgumentException e) {
            throw new DumpRefusedException("Failed to parse GTID position '" + connectState + "': " + e.getMessage());
        }
        // What the log never held must already be on the replica, domain by domain.
        if (!index.logStart().gtidStateKnown()) {
            throw mariaDbStateNotFound();
        }
        if (!replica.covers(index.mariaDbStateBeforeLog())) {
            if (archive == null) {
                throw mariaDbStateNotFound();
            }
            return ArchivePlanner.mariaDbGtid(archivedFiles(), files.get(0).name(), replica);
        }
        // The newest file that starts at or before the replica's position in every domain it lists (a later term's
        // first file: at the log's position when the term began).
        IndexedFile start = null;
        for (int i = files.size() - 1; i >= 0 && start == null; i--) {
            IndexedFile f = files.get(i);
            if (f.header() != null && replica.covers(ExecutedGtids.mariaDbPosition(f.gtidsAtStart()))) {
                start = f;
            }
        }
        if (start == null) {
            throw mariaDbStateNotFound();
        }
        return new DumpPlan(start, start.headerOffset(), BinlogConstants.BIN_LOG_HEADER_SIZE, false, null, replica);
    }

    /**
     * The log's executed set once it contains {@code replica}, or when {@code waitNanos} have passed. Waits only for
     * GTIDs of servers the log knows: a replica that diverged (GTIDs of its own server) gets its error at once.
     */
    private MySqlGtidSet awaitExecuted(MySqlGtidSet replica, long waitNanos) throws InterruptedException {
        MySqlGtidSet executed = index.mysqlExecuted();
        if (executed.contains(replica) || waitNanos <= 0 || !executed.sharesUuidWith(replica.subtract(executed))) {
            return executed;
        }
        Object changed = new Object();
        Runnable listener = () -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        index.addChangeListener(listener);
        try {
            long deadline = System.nanoTime() + waitNanos;
            synchronized (changed) {
                // Checked under the lock the listener takes: no change slips between the check and the wait.
                while (!(executed = index.mysqlExecuted()).contains(replica)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                }
            }
        } finally {
            index.removeChangeListener(listener);
        }
        return executed;
    }

    /** MySQL's answer when the replica lacks transactions the log no longer holds. */
    static DumpRefusedException purged(MySqlGtidSet replica, MySqlGtidSet purged) {
        // MySQL 8.0's wording (ReplayerBadInputTest compares it with a real source's), with the sets named as later 8.0 releases do.
        return new DumpRefusedException("Cannot replicate because the master purged required binary logs. Replicate the missing "
                + "transactions from elsewhere, or provision a new slave from backup. Consider increasing the master's binary log "
                + "expiration period. The GTID set sent by the slave is '" + replica + "', and the missing transactions are '"
                + purged.subtract(replica) + "'.");
    }

    /** The archive's files; an unreachable archive ends the dump with a message that says so. */
    private List<FileManifest> archivedFiles() throws DumpRefusedException {
        try {
            return archive.files();
        } catch (ArchiveException e) {
            throw ArchivedFileReader.unreachable(archive, e);
        }
    }

    /** MariaDB's answer when the replica's position is before what the log holds (ER_GTID_POSITION_NOT_FOUND_IN_BINLOG2). */
    static DumpRefusedException mariaDbStateNotFound() {
        return new DumpRefusedException("Could not find GTID state requested by slave in any binlog files. Probably the slave state "
                + "is too old and required binlog files have been purged.");
    }

    /** ", after the source had executed 'S'" when the log records it. */
    private String stateBeforeLog() {
        String purged = index.gtidPurged();
        String state = index.flavor() == Flavor.MARIADB ? index.mariaDbStateBeforeLog().toString() : purged;
        return state.isEmpty() ? "" : ", after the source had executed '" + state + "'";
    }

    private static IndexedFile lastOf(List<IndexedFile> files) {
        return files.isEmpty() ? null : files.get(files.size() - 1);
    }
}
