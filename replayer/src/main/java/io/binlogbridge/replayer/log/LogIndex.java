package io.binlogbridge.replayer.log;

import io.binlogbridge.core.record.PresentedNames;
import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.LogState;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the replayer knows about the log without reading it again: the source's identity, its binlog
 * files (where each starts in the topic, its header, its size so far, sparse position → offset
 * entries) and the GTID state. Built from the whole topic at startup and kept current from its tail
 * by {@link LogIndexer}; read by query answers and by dump requests to find where to start.
 *
 * <p>Across source switches (terms) it presents one log: records name a file by (term, source name), clients by
 * its presented name ({@link PresentedNames}), which continues the first term's sequence.
 */
public final class LogIndex implements LogState {
    private static final String UNKNOWN_UUID = "00000000-0000-0000-0000-000000000000";
    /** Who the replayer says it is before the log has a record, per the flavor it was told to expect. */
    private static final Map<Flavor, ServerIdentity> EMPTY_LOG = Map.of(
            Flavor.MYSQL, new ServerIdentity(Flavor.MYSQL, "8.0.15-binlog-bridge", 1, UNKNOWN_UUID, "CRC32", true, 0,
                    "binlog-bridge replayer"),
            // 10.x: a MariaDB replica uses GTIDs only with a source of version 10 or later.
            Flavor.MARIADB, new ServerIdentity(Flavor.MARIADB, "10.11.0-MariaDB-binlog-bridge", 1, UNKNOWN_UUID, "CRC32", true, 0,
                    "binlog-bridge replayer"));

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<IndexedFile> files = new ArrayList<>();
    /** By presented name: what clients ask for. */
    private final Map<String, IndexedFile> filesByName = new HashMap<>();
    private final Map<SourceFile, IndexedFile> filesBySource = new HashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Set<Runnable> changeListeners = new CopyOnWriteArraySet<>();
    private final Long serverIdOverride;
    private final ServerIdentity emptyLogIdentity;
    private BinlogRecord latest;
    private long nextOffset;
    private MySqlGtidSet.Builder mysqlExecuted;
    private MySqlGtidSet mysqlPurged;
    private MariaDbGtidPosition mariaDbPosition = MariaDbGtidPosition.empty();
    private boolean sawGtid;
    /** The GTID state the source had executed before the log's first transaction (its first TERM_START); null if unrecorded. */
    private String stateBeforeLog;
    /** MariaDB: {@link #stateBeforeLog} as a position, parsed once; empty for MySQL or when unrecorded. */
    private MariaDbGtidPosition mariaDbBeforeLog = MariaDbGtidPosition.empty();
    /** Where the log's last gap ends: it holds everything from here on (null: from its first file's start). */
    private IndexedFile wholeFrom;
    private long wholeFromPosition;
    /** A gap that no TERM_START accounts for (a log written by an older relay that started mid-file). */
    private boolean unaccountedGap;
    /** Files dropped from the list's head by purges: a file's place in {@link #files} is its ordinal minus this. */
    private int purgedFiles;
    /**
     * The term of the first file this index saw, kept when purges drop it: presented names and gap rules follow the
     * log's first term, which a purge must not change under the clients' feet.
     */
    private int logFirstTerm;
    /** The topic offset this index's scan began at (the topic's start then): a snapshot holds only for a log that still starts there. */
    private long scanFrom;
    /** The key of the last record applied, when the indexer gave it: what a snapshot's restore checks the topic against. */
    private byte[] lastKey;
    /** The topic's start moved past {@link #scanFrom} while this index ran: it no longer is what a scan of the topic builds. */
    private boolean startMoved;

    /**
     * @param serverIdOverride the server id to report instead of the source's; null = the source's
     * @param emptyLogFlavor   the flavor to present until the log has a record (then the log's own)
     */
    public LogIndex(Long serverIdOverride, Flavor emptyLogFlavor) {
        this.serverIdOverride = serverIdOverride;
        ServerIdentity id = EMPTY_LOG.get(emptyLogFlavor);
        this.emptyLogIdentity = serverIdOverride == null ? id : new ServerIdentity(id.flavor(), id.serverVersion(),
                serverIdOverride, id.serverUuid(), id.binlogChecksum(), id.gtidMode(), id.gtidDomainId(), id.versionComment());
    }

    /**
     * Runs {@code listener} after each record the index applies, on the indexer's thread: it must return at once
     * (wake a waiting thread, not do its work).
     */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    public void removeChangeListener(Runnable listener) {
        changeListeners.remove(listener);
    }

    /** Adds the record at {@code offset}; records come in topic order. */
    void apply(long offset, BinlogRecord value) {
        apply(offset, null, value);
    }

    /** Adds the record at {@code offset} with its key (kept for {@link #snapshot()}); records come in topic order. */
    void apply(long offset, byte[] key, BinlogRecord value) {
        update(offset, key, value);
        for (Runnable listener : changeListeners) {
            listener.run();
        }
    }

    private void update(long offset, byte[] key, BinlogRecord value) {
        lock.writeLock().lock();
        try {
            nextOffset = offset + 1;
            lastKey = key;
            latest = value;
            // A file is (term, source name): a new source may reuse the names of an earlier one.
            IndexedFile file = filesBySource.get(new SourceFile(value.getTerm(), value.getFile()));
            if (file == null) {
                boolean isHeader = value.getKind() == RecordKind.FILE_HEADER;
                IndexedFile previous = files.isEmpty() ? null : files.get(files.size() - 1);
                if (previous == null && purgedFiles == 0) {
                    logFirstTerm = value.getTerm();
                }
                int firstTerm = logFirstTerm;
                String presented = PresentedNames.of(value.getTerm(), firstTerm, value.getFile(), previous == null ? null : previous.name);
                file = new IndexedFile(purgedFiles + files.size(), value.getTerm(), presented, value.getFile(), isHeader ? value : null, offset, value.getStartPosition());
                files.add(file);
                filesByName.put(presented, file);
                filesBySource.put(new SourceFile(file.term, file.sourceName), file);
                if (files.size() == 1 && purgedFiles == 0 && isHeader && value.getFlavor() == Flavor.MYSQL) {
                    mysqlPurged = MySqlGtidSet.parse(file.previousGtids());
                    mysqlExecuted = mysqlPurged.toBuilder();
                }
                if (files.size() == 1 && purgedFiles == 0 && isHeader && value.getFlavor() == Flavor.MARIADB && !file.previousGtids().isEmpty()) {
                    mariaDbPosition = ExecutedGtids.mariaDbPosition(file.previousGtids());
                }
                if (!isHeader && value.getStartPosition() > BinlogConstants.BIN_LOG_HEADER_SIZE && file.term == firstTerm) {
                    gapBefore(file, value.getStartPosition());
                }
            } else if (value.getChunk() == 0 && value.getStartPosition() > file.size && file.term == firstTerm()) {
                // Only in the log's first term does a jump mean the log lacks something. A later term's source skips
                // the transactions the log already holds (GTID auto-position), or starts where it was told: what its
                // files lack there is in earlier terms.
                gapBefore(file, value.getStartPosition());
            }
            if (value.getKind() == RecordKind.TERM_START) {
                if (file.term == firstTerm()) {
                    if (stateBeforeLog == null) {
                        logStartsAfter(value);
                    }
                } else if (file.termStartGtids == null && value.getPreviousGtids() != null && !value.getPreviousGtids().isEmpty()) {
                    // What the log held at the switch; it adds nothing to gtid_purged (that is only what the log never held).
                    file.termStartGtids = value.getPreviousGtids();
                }
            }
            if (value.getKind() == RecordKind.EVENTS) {
                String next = RotateEvents.target(value);
                if (next != null) {
                    file.rotateTarget = next;
                }
            }
            file.add(offset, value);
            if (value.getKind() == RecordKind.TRANSACTION && value.getLastChunk() && value.getGtid() != null) {
                sawGtid = true;
                if (value.getFlavor() == Flavor.MYSQL) {
                    if (mysqlExecuted == null) {
                        mysqlExecuted = MySqlGtidSet.builder();
                    }
                    mysqlExecuted.add(MySqlGtid.parse(value.getGtid()));
                } else {
                    mariaDbPosition = mariaDbPosition.with(MariaDbGtid.parse(value.getGtid()));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The term of the log's first file (before any purge); 0 for an empty log. Called under the lock. */
    private int firstTerm() {
        return files.isEmpty() && purgedFiles == 0 ? 0 : logFirstTerm;
    }

    /**
     * The topic now begins at {@code beginningOffset} (a PURGE here or on another replayer deleted the records
     * before it): the files it no longer holds from their first record leave the index, and {@code gtid_purged} grows to
     * the GTID state at the first remaining file's start. The file being written is kept whatever happened to it.
     *
     * @return the files dropped, oldest first (empty when the start did not pass a file)
     */
    public List<IndexedFile> startMovedTo(long beginningOffset) {
        List<IndexedFile> dropped;
        lock.writeLock().lock();
        try {
            startMoved |= beginningOffset > scanFrom;
            int drop = 0;
            while (drop < files.size() - 1 && files.get(drop).firstOffset < beginningOffset) {
                drop++;
            }
            if (drop == 0) {
                return List.of();
            }
            dropped = List.copyOf(files.subList(0, drop));
            for (IndexedFile f : dropped) {
                filesByName.remove(f.name);
                filesBySource.remove(new SourceFile(f.term, f.sourceName));
            }
            files.subList(0, drop).clear();
            purgedFiles += drop;
            IndexedFile first = files.get(0);
            if (wholeFrom != null && !files.contains(wholeFrom)) {
                // The gap was before what remains: the log now holds its first file whole.
                wholeFrom = null;
                unaccountedGap = false;
            }
            if (first.firstOffset < beginningOffset && wholeFrom == null) {
                // Only the file being written is kept cut (records were deleted inside it): it holds nothing whole.
                wholeFrom = first;
                wholeFromPosition = first.size;
            }
            purgedUpTo(first);
        } finally {
            lock.writeLock().unlock();
        }
        for (Runnable listener : changeListeners) {
            listener.run();
        }
        return dropped;
    }

    /** What the log held before {@code first}, now its first file, is what it no longer holds. Called under the lock. */
    private void purgedUpTo(IndexedFile first) {
        String atStart = first.gtidsAtStart();
        if (atStart.isEmpty()) {
            return;
        }
        if (flavor() == Flavor.MYSQL) {
            MySqlGtidSet before = MySqlGtidSet.parse(atStart);
            mysqlPurged = mysqlPurged == null ? before : mysqlPurged.toBuilder().addAll(before).build();
            mysqlExecuted = (mysqlExecuted == null ? MySqlGtidSet.builder() : mysqlExecuted).addAll(before);
        } else {
            stateBeforeLog = atStart;
            mariaDbBeforeLog = ExecutedGtids.mariaDbPosition(atStart);
        }
    }

    /** The indexer begins a scan of the whole topic at {@code offset}, its start: recorded in snapshots. */
    void scanFrom(long offset) {
        lock.writeLock().lock();
        try {
            scanFrom = offset;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Whether this index is still the one a scan of the topic would build: false once a purge moved the topic's start
     * while it ran (it keeps the purged files' names and gtid_purged; a scan of what is left would not know them).
     */
    public boolean matchesScan() {
        lock.readLock().lock();
        try {
            return !startMoved;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Everything this index holds, at one point of the log ({@link IndexSnapshot#nextOffset()}). */
    public IndexSnapshot snapshot() {
        lock.readLock().lock();
        try {
            List<IndexSnapshot.FileState> states = new ArrayList<>(files.size());
            for (IndexedFile f : files) {
                states.add(f.state());
            }
            return new IndexSnapshot(scanFrom, nextOffset, lastKey, latest, mysqlExecuted == null ? null : mysqlExecuted.toString(),
                    mysqlPurged == null ? null : mysqlPurged.toString(), mariaDbPosition.toString(), sawGtid, stateBeforeLog,
                    mariaDbBeforeLog.toString(), wholeFrom == null ? -1 : files.indexOf(wholeFrom), wholeFromPosition, unaccountedGap,
                    purgedFiles, logFirstTerm, states);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Takes the state of {@code snapshot}; the index must not have applied a record yet. The indexer then goes on
     * from {@link IndexSnapshot#nextOffset()}.
     */
    public void restore(IndexSnapshot snapshot) {
        lock.writeLock().lock();
        try {
            if (nextOffset != 0 || !files.isEmpty()) {
                throw new IllegalStateException("restore into an index that has records");
            }
            for (IndexSnapshot.FileState state : snapshot.files) {
                IndexedFile f = new IndexedFile(state);
                files.add(f);
                filesByName.put(f.name, f);
                filesBySource.put(new SourceFile(f.term, f.sourceName), f);
            }
            scanFrom = snapshot.scanFrom;
            nextOffset = snapshot.nextOffset;
            lastKey = snapshot.lastKey;
            latest = snapshot.latest;
            mysqlExecuted = snapshot.mysqlExecuted == null ? null : MySqlGtidSet.parse(snapshot.mysqlExecuted).toBuilder();
            mysqlPurged = snapshot.mysqlPurged == null ? null : MySqlGtidSet.parse(snapshot.mysqlPurged);
            mariaDbPosition = MariaDbGtidPosition.parse(snapshot.mariaDbPosition);
            sawGtid = snapshot.sawGtid;
            stateBeforeLog = snapshot.stateBeforeLog;
            mariaDbBeforeLog = MariaDbGtidPosition.parse(snapshot.mariaDbBeforeLog);
            wholeFrom = snapshot.wholeFrom < 0 ? null : files.get(snapshot.wholeFrom);
            wholeFromPosition = snapshot.wholeFromPosition;
            unaccountedGap = snapshot.unaccountedGap;
            purgedFiles = snapshot.purgedFiles;
            logFirstTerm = snapshot.logFirstTerm;
        } finally {
            lock.writeLock().unlock();
        }
        for (Runnable listener : changeListeners) {
            listener.run();
        }
    }

    /** The topic offset of the log's first record the index holds; -1 for an empty log. */
    public long firstOffset() {
        lock.readLock().lock();
        try {
            return files.isEmpty() ? -1 : files.get(0).firstOffset;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The log does not hold {@code file} before {@code position}: a relay started there (or a GTID start made the
     * source skip what came before). Position dumps from earlier places are refused, and files before it are not
     * listed.
     */
    private void gapBefore(IndexedFile file, long position) {
        wholeFrom = file;
        wholeFromPosition = position;
        unaccountedGap |= stateBeforeLog == null && latest.getKind() != RecordKind.TERM_START;
    }

    /** The first TERM_START: what the source had executed before the log began is what the log never held. */
    private void logStartsAfter(BinlogRecord termStart) {
        stateBeforeLog = termStart.getPreviousGtids() == null ? "" : termStart.getPreviousGtids();
        if (termStart.getFlavor() == Flavor.MYSQL) {
            MySqlGtidSet before = MySqlGtidSet.parse(stateBeforeLog);
            mysqlPurged = mysqlPurged == null ? before : mysqlPurged.toBuilder().addAll(before).build();
            mysqlExecuted = (mysqlExecuted == null ? MySqlGtidSet.builder() : mysqlExecuted).addAll(before);
        } else {
            mariaDbBeforeLog = ExecutedGtids.mariaDbPosition(stateBeforeLog);
            for (MariaDbGtid gtid : mariaDbBeforeLog.gtids()) {
                if (!mariaDbPosition.contains(gtid)) {
                    mariaDbPosition = mariaDbPosition.with(gtid);
                }
            }
        }
    }

    /**
     * Where the log holds everything from: a file and a position in it (4: the whole file). A log started in the
     * middle of the source's history begins at its start point; a gap later in the log moves it forward.
     */
    public LogStart logStart() {
        lock.readLock().lock();
        try {
            if (wholeFrom == null) {
                return new LogStart(files.isEmpty() ? null : files.get(0), BinlogConstants.BIN_LOG_HEADER_SIZE, !unaccountedGap);
            }
            return new LogStart(wholeFrom, wholeFromPosition, !unaccountedGap);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * @param file the first file a position dump may name (null for an empty log)
     * @param position the first position of {@code file} the log holds whole from
     * @param gtidStateKnown false when the log has a gap it cannot account for in GTIDs (an older relay's log)
     */
    public record LogStart(IndexedFile file, long position, boolean gtidStateKnown) {}

    /** MariaDB: the GTID position the source had reached before the log's first transaction; empty if unrecorded. */
    public MariaDbGtidPosition mariaDbStateBeforeLog() {
        lock.readLock().lock();
        try {
            return mariaDbBeforeLog;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Called once the startup scan reached the end the topic had when the replayer started. */
    void markReady() {
        ready.countDown();
    }

    public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.await(timeout, unit);
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Offset just after the last record indexed. */
    public long nextOffset() {
        lock.readLock().lock();
        try {
            return nextOffset;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** No relay has written the log yet. */
    public boolean isEmpty() {
        lock.readLock().lock();
        try {
            return files.isEmpty();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The files, oldest first: a snapshot of the list (the entries themselves keep growing). */
    public List<IndexedFile> files() {
        lock.readLock().lock();
        try {
            return List.copyOf(files);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The file clients know as {@code name} (its presented name); null if the log has none. */
    public IndexedFile file(String name) {
        lock.readLock().lock();
        try {
            return filesByName.get(name);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The file the source of {@code term} called {@code sourceName}; null if not indexed (yet). */
    public IndexedFile file(int term, String sourceName) {
        lock.readLock().lock();
        try {
            return filesBySource.get(new SourceFile(term, sourceName));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The presented name of the file (term, sourceName) that comes right after the file presented as
     * {@code previousPresented} in the log. A dump tailing the topic may meet a file before the index does, so the
     * naming rule is applied here too, with the same result the index will reach.
     */
    public String presentedName(int term, String sourceName, String previousPresented) {
        lock.readLock().lock();
        try {
            IndexedFile f = filesBySource.get(new SourceFile(term, sourceName));
            if (f != null) {
                return f.name;
            }
            return PresentedNames.of(term, files.isEmpty() ? term : firstTerm(), sourceName, previousPresented);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The name a real ROTATE at the end of (term, sourceName), presented as {@code presented}, must carry: the
     * presented name of the file that follows. {@code named} is the source's next file, kept while no later term
     * follows in the log's first term (the source's next file comes, under that name). In a later term the next file
     * is always the next presented name, whether the index holds it yet or not.
     */
    public String rotateTarget(int term, String sourceName, String presented, String named) {
        lock.readLock().lock();
        try {
            return rotateTargetLocked(filesBySource.get(new SourceFile(term, sourceName)), term, presented, named);
        } finally {
            lock.readLock().unlock();
        }
    }

    private String rotateTargetLocked(IndexedFile file, int term, String presented, String named) {
        int next = file == null ? -1 : file.ordinal - purgedFiles + 1;
        if (file != null && next > 0 && next < files.size()) {
            return files.get(next).name;
        }
        return files.isEmpty() || term == firstTerm() ? named : PresentedNames.next(presented);
    }

    /**
     * The size a dump of {@code file} covers: its size on the source, changed by as many bytes as a rewritten ROTATE
     * at its end gained or lost with its new name.
     */
    public long presentedSize(IndexedFile file) {
        lock.readLock().lock();
        try {
            return presentedSizeLocked(file);
        } finally {
            lock.readLock().unlock();
        }
    }

    private long presentedSizeLocked(IndexedFile file) {
        if (file.rotateTarget == null) {
            return file.size;
        }
        String to = rotateTargetLocked(file, file.term, file.name, file.rotateTarget);
        return file.size + to.getBytes(StandardCharsets.UTF_8).length - file.rotateTarget.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A file as the records name it. */
    private record SourceFile(int term, String name) {}

    /** Reads an index entry's mutable fields under the lock. */
    public long offsetAtOrBefore(IndexedFile file, long position) {
        lock.readLock().lock();
        try {
            return file.offsetAtOrBefore(position);
        } finally {
            lock.readLock().unlock();
        }
    }

    public long size(IndexedFile file) {
        lock.readLock().lock();
        try {
            return file.size;
        } finally {
            lock.readLock().unlock();
        }
    }

    public Flavor flavor() {
        lock.readLock().lock();
        try {
            return latest == null ? emptyLogIdentity.flavor() : latest.getFlavor();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * MySQL: the GTIDs the topic no longer (or never) held: what the source had executed before the log's first
     * transaction (its TERM_START), or for logs without one, the first file's PREVIOUS_GTIDS.
     */
    public MySqlGtidSet mysqlPurged() {
        lock.readLock().lock();
        try {
            return mysqlPurged == null ? MySqlGtidSet.empty() : mysqlPurged;
        } finally {
            lock.readLock().unlock();
        }
    }

    public MySqlGtidSet mysqlExecuted() {
        lock.readLock().lock();
        try {
            return mysqlExecuted == null ? MySqlGtidSet.empty() : mysqlExecuted.build();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public ServerIdentity identity() {
        lock.readLock().lock();
        try {
            if (latest == null) {
                return emptyLogIdentity;
            }
            long serverId = serverIdOverride != null ? serverIdOverride : latest.getServerId();
            String uuid = latest.getServerUuid() != null ? latest.getServerUuid() : UNKNOWN_UUID;
            long domain = 0;
            if (latest.getFlavor() == Flavor.MARIADB && latest.getGtid() != null) {
                domain = MariaDbGtid.parse(latest.getGtid()).domainId();
            }
            return new ServerIdentity(latest.getFlavor(), latest.getServerVersion(), serverId, uuid,
                    latest.getChecksum() == ChecksumAlgorithm.CRC32 ? "CRC32" : "NONE",
                    latest.getFlavor() == Flavor.MARIADB || sawGtid || (mysqlPurged != null && !mysqlPurged.isEmpty()),
                    domain, latest.getFlavor() == Flavor.MARIADB ? "mariadb.org binary distribution (binlog-bridge replayer)"
                            : "MySQL Community Server - GPL (binlog-bridge replayer)");
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<BinaryLog> binaryLogs() {
        lock.readLock().lock();
        try {
            // Files before the log's last gap are not whole: a replica must not be told it can start there.
            int first = wholeFrom == null ? 0 : files.indexOf(wholeFrom);
            List<BinaryLog> logs = new ArrayList<>(files.size() - first);
            for (IndexedFile f : files.subList(first, files.size())) {
                logs.add(new BinaryLog(f.name, presentedSizeLocked(f), false));
            }
            return logs;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public BinlogPosition currentPosition() {
        lock.readLock().lock();
        try {
            if (files.isEmpty()) {
                return new BinlogPosition("", 0);
            }
            IndexedFile last = files.get(files.size() - 1);
            return new BinlogPosition(last.name, presentedSizeLocked(last));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String gtidExecuted() {
        lock.readLock().lock();
        try {
            if (flavor() == Flavor.MARIADB) {
                return mariaDbPosition.toString();
            }
            return mysqlExecuted == null ? "" : mysqlExecuted.build().toString();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String gtidPurged() {
        lock.readLock().lock();
        try {
            return mysqlPurged == null ? "" : mysqlPurged.toString();
        } finally {
            lock.readLock().unlock();
        }
    }
}
