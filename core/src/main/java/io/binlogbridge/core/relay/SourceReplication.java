package io.binlogbridge.core.relay;

import io.binlogbridge.core.binlog.BinlogConstants;
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
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the relay, whoever writes the records (relay-server's producer or a Kafka Connect
 * task): connect to the source, continue right after the log's last committed record — or, for an
 * empty log, from the configured start — and stream records into the sink until closed or failed.
 * A new pass after a failure starts from the log again, so nothing is lost and nothing written twice.
 */
public final class SourceReplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceReplication.class);

    private final SourceConfig config;
    private final StartPosition start;
    private final String logName;
    private volatile SourceSession session;
    private volatile RecordAssembler assembler;
    private volatile boolean streaming;
    private volatile boolean closed;

    /** @param logName how messages name the log (the topic) */
    public SourceReplication(SourceConfig config, StartPosition start, String logName) {
        this.config = config;
        this.start = start;
        this.logName = logName;
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
            checkSameSource(resume, source);
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
            RecordAssembler assembler = newAssembler(s, resume.term(), sink);
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
            assembler.startAt(from.file(), from.position());
            if (from.position() > BinlogConstants.BIN_LOG_HEADER_SIZE) {
                SourceSession.StartPoint point = SourceSession.fetchStartPoint(config, from.file(), from.position(), term,
                        PreviousGtids::format);
                // Not a commit point: the header goes into the log in one Kafka transaction with the TERM_START after it.
                OutgoingRecord h = point.header();
                sink.accept(new OutgoingRecord(h.key(), h.value(), h.kind(), h.file(), h.startPosition(), h.endPosition(), h.gtid(),
                        h.eventBytes(), false, false));
                assembler.startTermAt(from.file(), from.position(), point.gtidState());
                log.info("{} begins at {}: the source had executed {} before it, which the log does not hold", logName, from,
                        point.gtidState().isEmpty() ? "no GTIDs" : "'" + point.gtidState() + "'");
            } else {
                assembler.startTermAfterNextHeader(null);
            }
            s.dumpFrom(from.file(), from.position());
        }
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

    private void checkSameSource(ResumePoint resume, SourceIdentity source) throws SourceException {
        boolean same = source.isMariaDb()
                ? resume.serverId() == source.serverId()
                : Objects.equals(resume.serverUuid(), source.serverUuid());
        if (!same) {
            throw new SourceException(logName + " holds the binlog of another source (server_uuid "
                    + resume.serverUuid() + ", server_id " + resume.serverId() + ") than " + config.address()
                    + " (server_uuid " + source.serverUuid() + ", server_id " + source.serverId()
                    + "); switching sources is not supported yet", false, null);
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
