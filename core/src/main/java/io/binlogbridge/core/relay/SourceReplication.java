package io.binlogbridge.core.relay;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.gtid.PreviousGtids;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordAssembler;
import io.binlogbridge.core.record.RecordSink;
import io.binlogbridge.core.record.ResumePoint;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.SourceException;
import io.binlogbridge.core.replica.SourceSession;
import io.binlogbridge.core.replica.StartPosition;
import io.binlogbridge.schemas.BinlogRecord;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the relay, whoever writes the records (relay-server's producer or a Kafka Connect
 * task): connect to the source, continue right after the log's last committed record — or, for an
 * empty log, from the configured start — and stream records into the sink until closed or failed.
 * A new pass after a failure starts from the log again, so nothing is lost and nothing written twice.
 *
 * <p>When the source is not the server the log's last term was written from, the pass decides from the
 * source itself whether it may continue the log as a new term ({@link SourceSwitch}), and otherwise
 * refuses before writing anything.
 */
public final class SourceReplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceReplication.class);

    private final SourceConfig config;
    private final StartPosition start;
    private final String logName;
    private final LogGtidState.Reader logState;
    private volatile SourceSession session;
    private volatile RecordAssembler assembler;
    private volatile boolean streaming;
    private volatile boolean closed;

    /**
     * @param logName how messages name the log (the topic)
     * @param logState reads the log's GTID state, needed only when the source is not the log's last one
     */
    public SourceReplication(SourceConfig config, StartPosition start, String logName, LogGtidState.Reader logState) {
        this.config = config;
        this.start = start;
        this.logName = logName;
        this.logState = logState;
    }

    /** How this pass reaches its source. */
    public SourceConfig config() {
        return config;
    }

    /** True once the source is streaming: failures from then on are worth retrying. */
    public boolean streaming() {
        return streaming;
    }

    /**
     * Streams until {@link #close()} or a failure.
     *
     * @param lastCommitted the log's last committed record, empty for an empty log
     */
    public void run(Optional<BinlogRecord> lastCommitted, RecordSink sink) throws SourceException, InterruptedException {
        SourceSession s = SourceSession.open(config);
        session = s;
        if (closed) {
            s.close();
            return;
        }
        SourceIdentity source = s.identity();
        if (lastCommitted.isPresent()) {
            ResumePoint resume = ResumePoint.after(lastCommitted.get());
            if (!SourceSwitch.sameSource(resume, source)) {
                switchSource(s, lastCommitted.get(), resume, sink);
                return;
            }
            String file = resume.file();
            long position = resume.position();
            if (resume.afterStop()) {
                // The source stopped and started a new file without a ROTATE: the next file in its index.
                List<String> logs = s.binaryLogs();
                int i = logs.indexOf(file);
                if (i >= 0 && i + 1 < logs.size()) {
                    file = logs.get(i + 1);
                    position = BinlogConstants.BIN_LOG_HEADER_SIZE;
                }
            }
            requireFile(s, file);
            log.info("resuming after the last committed record of {}: {}:{}", logName, file, position);
            RecordSink into = sink;
            if (resume.term() > 1 || start instanceof StartPosition.Gtid) {
                // The term may have begun with a GTID dump: in its first file the source skipped what the log held
                // then, and a dump by file position would send those transactions again.
                try {
                    LogGtidState state = logState.read(false);
                    into = SkipHeldTransactions.of(state.flavor(), state.termStart(), sink);
                } catch (IllegalStateException e) {
                    // No header left to start from (the topic's start was purged): the term's first file is long gone.
                    log.warn("{}; resuming by file position alone", e.getMessage());
                }
            }
            RecordAssembler assembler = newAssembler(s, resume.term(), into);
            assembler.startAt(file, position);
            s.dumpFrom(file, position);
            stream(s, assembler);
            return;
        }
        int term = 1;
        RecordAssembler assembler = newAssembler(s, term, sink);
        if (start instanceof StartPosition.Gtid gtid && !source.isMariaDb()) {
            // The source skips what the set holds: the log begins with everything else, and says so.
            log.info("{} is empty: starting after GTID set {}", logName, gtid.gtidSet());
            assembler.startAt("", 0);
            assembler.startTermAfterNextHeader(mysqlGtidSet(gtid.gtidSet()));
            s.dumpGtid(gtid.gtidSet());
        } else {
            StartPosition.FilePosition from = start instanceof StartPosition.Gtid gtid
                    ? SourceSession.locateMariaDbGtid(config, gtid.gtidSet())
                    : s.resolve(start);
            log.info("{} is empty: starting at {} ({})", logName, from, start);
            startTermAtFile(s, assembler, sink, from, term);
        }
        stream(s, assembler);
    }

    /**
     * Opens term {@code term} at a file position of the source: at a file's start the term opens after the file's
     * header; in the middle of a file, the header is fetched apart and the term states what the source had
     * executed before the position.
     */
    private void startTermAtFile(SourceSession s, RecordAssembler assembler, RecordSink sink, StartPosition.FilePosition from, int term)
            throws SourceException, InterruptedException {
        assembler.startAt(from.file(), from.position());
        if (from.position() > BinlogConstants.BIN_LOG_HEADER_SIZE) {
            SourceSession.StartPoint point = SourceSession.fetchStartPoint(config, from.file(), from.position(), term,
                    PreviousGtids::format);
            // The header goes into the log in one Kafka transaction with the TERM_START after it.
            sink.accept(point.header().withoutCommitPoint());
            assembler.startTermAt(from.file(), from.position(), point.gtidState());
            log.info("{} term {} begins at {}: the source had executed {} before it", logName, term, from,
                    point.gtidState().isEmpty() ? "no GTIDs" : "'" + point.gtidState() + "'");
        } else {
            assembler.startTermAfterNextHeader(null);
        }
        s.dumpFrom(from.file(), from.position());
    }

    /**
     * The source is not the one the log's last term was written from: continue the log from it as a new term if
     * it holds everything the log holds, starting right after the log's last transaction; refuse otherwise, having
     * written nothing. Without GTIDs nothing can be checked: the operator must name the start with --start.
     */
    private void switchSource(SourceSession s, BinlogRecord last, ResumePoint resume, RecordSink sink)
            throws SourceException, InterruptedException {
        SourceIdentity source = s.identity();
        int term = resume.term() + 1;
        String previous = "the log's source " + SourceSwitch.describe(null, resume.serverUuid(), resume.serverId());
        String candidate = "source " + SourceSwitch.describe(config.address(), source.serverUuid(), source.serverId());
        if (last.getFlavor() != source.flavor()) {
            throw SourceSwitch.refusal(logName + " holds the binlog of a " + last.getFlavor() + " source, " + previous + ", and " + candidate
                    + " is " + source.flavor() + ": another replication family cannot continue it");
        }
        LogGtidState state = logState.read(true);
        boolean gtids = !state.isEmpty() && (source.isMariaDb() || s.gtidMode());
        RecordAssembler assembler = newAssembler(s, term, sink);
        if (!gtids) {
            if (!(start instanceof StartPosition.FilePosition chosen)) {
                throw SourceSwitch.refusal((state.isEmpty() ? logName + " holds no GTIDs" : candidate + " has gtid_mode OFF")
                        + ", so the relay cannot tell what " + (state.isEmpty() ? candidate : "it") + " lacks: to switch anyway,"
                        + " name where term " + term + " starts on it with --start file:NAME:POS (the first transaction the log"
                        + " does not hold)");
            }
            StartPosition.FilePosition from = s.resolve(chosen);
            log.info("{}: source changed from {} to {}: term {} starts at {}, the position the operator chose with --start"
                    + " (no GTIDs: what the new source lacks or repeats was not checked)", logName, previous, candidate, term, from);
            startTermAtFile(s, assembler, sink, from, term);
            stream(s, assembler);
            return;
        }
        if (start instanceof StartPosition.FilePosition chosen) {
            log.warn("--start {} is ignored: {} has GTIDs, so term {} starts right after the log's GTID state", chosen, candidate, term);
        }
        String executed = s.executedGtids();
        String after;
        try {
            if (source.isMariaDb()) {
                MariaDbGtidPosition logPos = MariaDbGtidPosition.parse(state.text());
                SourceSwitch.checkMariaDb(logName, logPos, candidate, MariaDbGtidPosition.parse(executed));
                after = logPos.toString();
            } else {
                MySqlGtidSet logSet = MySqlGtidSet.parse(state.text());
                SourceSwitch.checkMySql(logName, logSet, candidate, MySqlGtidSet.parse(executed));
                after = logSet.toString();
            }
        } catch (IllegalArgumentException e) {
            throw new SourceException("cannot compare GTIDs of " + logName + " ('" + state.text() + "') and " + candidate + " ('"
                    + executed + "'): " + e.getMessage(), false, e);
        }
        log.info("{}: source changed from {} to {}: term {} starts after GTID {} {}", logName, previous, candidate, term,
                source.isMariaDb() ? "position" : "set", SourceSwitch.abbreviate(after));
        // The source skips what the log holds; the new term's header and its TERM_START go into the log together.
        assembler.startAt("", 0);
        assembler.startTermAfterNextHeader(after);
        s.dumpGtid(after);
        stream(s, assembler);
    }

    private void stream(SourceSession s, RecordAssembler assembler) throws SourceException, InterruptedException {
        streaming = true;
        s.stream(assembler);
    }

    private static String mysqlGtidSet(String text) throws SourceException {
        try {
            return MySqlGtidSet.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new SourceException("--start gtid:" + text + " is not a valid GTID set: " + e.getMessage(), false, e);
        }
    }

    private RecordAssembler newAssembler(SourceSession s, int term, RecordSink sink) {
        RecordAssembler a = new RecordAssembler(s.identity(), term, config.chunkSize(), s.checksumAlgorithm(), PreviousGtids::format, sink);
        assembler = a;
        return a;
    }

    /** The source this pass is connected to; null before it has logged in. Safe to call from any thread. */
    public SourceIdentity identity() {
        SourceSession s = session;
        return s == null ? null : s.identity();
    }

    /** The last record read from the source (handed to the sink); null before the first. Any thread. */
    public OutgoingRecord lastRead() {
        RecordAssembler a = assembler;
        return a == null ? null : a.lastEmitted();
    }

    /** The source's last message was a heartbeat: it had nothing more to send (see {@link RecordAssembler#sourceIdle()}). */
    public boolean sourceIdle() {
        RecordAssembler a = assembler;
        return a != null && a.sourceIdle();
    }

    private void requireFile(SourceSession s, String file) throws SourceException {
        List<String> logs = s.binaryLogs();
        if (!logs.contains(file)) {
            throw new SourceException("source " + config.address() + " no longer has binlog file " + file
                    + ", which the relay needs next" + (logs.isEmpty() ? "" : " (oldest it has: " + logs.get(0) + ")")
                    + ": it was purged before the relay copied it", false, null);
        }
    }

    /**
     * Acknowledges to a semi-sync source that the log holds everything up to this position; a no-op
     * when the source is not semi-sync.
     */
    public void acknowledge(String file, long position) throws SourceException {
        SourceSession s = session;
        if (s != null) {
            s.acknowledge(file, position);
        }
    }

    /** Stops streaming; {@link #run} returns. */
    @Override
    public void close() {
        closed = true;
        SourceSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
