package io.binlogbridge.core.record;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.BinlogFormatException;
import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.GtidEvents;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.core.binlog.TransactionBoundaries;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.schemas.BinlogKey;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the event stream of one dump connection into topic records: a FILE_HEADER record when a file
 * starts, one TRANSACTION record per MySQL transaction (split into chunks of at most
 * {@code chunkSize} bytes), and an EVENTS record for each event outside a transaction.
 *
 * <p>The dump reader appends each event's bytes to {@link #buffer()} and calls {@link #onEvent};
 * the bytes are copied once more, into the encoded record value, and nowhere else. Events the source
 * made up for the connection (fake ROTATE, the FORMAT_DESCRIPTION re-sent mid-file, heartbeats,
 * MariaDB's fake GTID_LIST) are recognised by their zero log position or artificial flag and are not
 * stored: the topic holds the source's files exactly.
 *
 * <p>Not thread-safe: one assembler per dump connection.
 */
public final class RecordAssembler {
    private static final Logger log = LoggerFactory.getLogger(RecordAssembler.class);
    private static final ByteBuffer NO_EVENTS = ByteBuffer.allocate(0);

    private final SourceIdentity source;
    private final int term;
    private final int chunkSize;
    private final RecordSink sink;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private final BinlogRecord value = new BinlogRecord();
    private final BinlogKey key = new BinlogKey();
    private final GrowableBuffer buffer;
    private final TransactionBoundaries boundaries = new TransactionBoundaries();
    private final Function<byte[], String> previousGtidsFormatter;

    private String file;
    private long position;
    private int checksumAlgorithm;
    private boolean headerOpen;

    private boolean transactionOpen;
    private long unitStart;
    private long unitBytesEmitted;
    private int chunkIndex;
    private String gtid;
    private long firstTimestamp;
    private int[] eventStarts = new int[64];
    private boolean ackRequested;
    private int eventStartCount;
    private boolean termStartPending;
    private String termStartGtidState;
    /** The last record handed to the sink, for other threads (status): where the relay has read up to. */
    private volatile OutgoingRecord lastEmitted;
    /** The source's last message was a heartbeat: it had nothing more to send. Cleared by the next record. */
    private volatile boolean sourceIdle;

    /**
     * @param checksumAlgorithm the algorithm negotiated with {@code @master_binlog_checksum}; events sent
     *     before the first FORMAT_DESCRIPTION (the fake ROTATE) carry it
     * @param previousGtidsFormatter turns a PREVIOUS_GTIDS / GTID_LIST event into the text stored in
     *     the header record's {@code previousGtids}
     */
    public RecordAssembler(SourceIdentity source, int term, int chunkSize, int checksumAlgorithm,
            Function<byte[], String> previousGtidsFormatter, RecordSink sink) {
        if (chunkSize < 1024) {
            throw new IllegalArgumentException("chunk size must be at least 1024 bytes");
        }
        this.source = source;
        this.term = term;
        this.chunkSize = chunkSize;
        this.checksumAlgorithm = checksumAlgorithm;
        this.previousGtidsFormatter = previousGtidsFormatter;
        this.sink = sink;
        this.buffer = new GrowableBuffer(Math.min(chunkSize * 2, 4 << 20));
    }

    /** Where the dump starts; a file start (position 4) is expected to begin with its header events. */
    public void startAt(String fileName, long startPosition) {
        this.file = fileName;
        this.position = startPosition;
        this.headerOpen = false;
    }

    /**
     * Opens the term (for term 1: the log) right after the next file header the source sends: a TERM_START record
     * follows that header, saying the source had executed {@code gtidStateBefore} before the term's first
     * transaction, or, when null, the GTID state of the header itself (a log that starts at a file's beginning).
     */
    public void startTermAfterNextHeader(String gtidStateBefore) {
        termStartPending = true;
        termStartGtidState = gtidStateBefore;
    }

    /**
     * Opens the term at {@code file}:{@code position} at once (a log that starts in the middle of a file, whose
     * header was fetched apart): everything the source wrote before that place is {@code gtidStateBefore}, and
     * the log does not hold it.
     */
    public void startTermAt(String termFile, long termPosition, String gtidStateBefore) throws InterruptedException {
        termStartPending = false;
        emitTermStart(termFile, termPosition, gtidStateBefore);
    }

    public GrowableBuffer buffer() {
        return buffer;
    }

    public String file() {
        return file;
    }

    public long position() {
        return position;
    }

    public int checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** True between a transaction's first event and its end: the stream may not be cut here. */
    public boolean inTransaction() {
        return transactionOpen;
    }

    /**
     * A semi-sync source asked for an acknowledgement of the next event (the last of its transaction):
     * the record completing that transaction carries the request.
     */
    public void requestAck() {
        ackRequested = true;
    }

    /** The dump reader has appended one whole event at {@code buffer()[off, off + len)}. */
    public void onEvent(int off, int len) throws InterruptedException, BinlogFormatException {
        byte[] b = buffer.array();
        if (len < LOG_EVENT_HEADER_LEN || EventHeader.eventSize(b, off) != len) {
            throw new BinlogFormatException("malformed event at " + file + ":" + position + ": length " + len
                    + " but header says " + (len >= LOG_EVENT_HEADER_LEN ? EventHeader.eventSize(b, off) : -1));
        }
        int type = EventHeader.type(b, off);
        long logPos = EventHeader.logPos(b, off);
        int flags = EventHeader.flags(b, off);

        if (type == HEARTBEAT_LOG_EVENT || type == HEARTBEAT_LOG_EVENT_V2) {
            buffer.truncate(off);
            sourceIdle = true;
            return;
        }
        if (type == ROTATE_EVENT && (logPos == 0 || (flags & LOG_EVENT_ARTIFICIAL_F) != 0)) {
            String next = RotateEvent.fileName(b, off, checksumAlgorithm);
            long nextPosition = RotateEvent.position(b, off);
            buffer.truncate(off);
            if (transactionOpen) {
                throw new BinlogFormatException("source switched to " + next + " inside a transaction at " + file + ":" + position);
            }
            if (!next.equals(file) || nextPosition != position) {
                log.debug("dump continues at {}:{}", next, nextPosition);
            }
            file = next;
            position = nextPosition;
            headerOpen = false;
            return;
        }
        if (type == FORMAT_DESCRIPTION_EVENT) {
            checksumAlgorithm = ChecksumAlgorithms.fromFormatDescription(b, off);
        }
        long start = logPos - len;
        if (logPos == 0 || (flags & LOG_EVENT_ARTIFICIAL_F) != 0 || (type == FORMAT_DESCRIPTION_EVENT && start != position)) {
            // Made up for this connection (a FORMAT_DESCRIPTION re-sent for a mid-file start, MariaDB's
            // fake GTID_LIST): not part of the file.
            buffer.truncate(off);
            return;
        }
        if (checksumAlgorithm == BINLOG_CHECKSUM_ALG_CRC32 && !ChecksumAlgorithms.verify(b, off, len)) {
            throw new BinlogFormatException("checksum mismatch in " + EventHeader.typeName(type) + " event at " + file + ":" + start);
        }
        if (start < position) {
            log.warn("ignoring event {} at {}:{} already received (expected {})", EventHeader.typeName(type), file, start, position);
            buffer.truncate(off);
            return;
        }
        if (start > position && position != 0) {
            // GTID auto-positioning skips transactions the requester already has; anything else is a hole.
            log.info("binlog {} continues at position {} after {} (transactions skipped by the source)", file, start, position);
        }
        position = logPos;

        if (type == FORMAT_DESCRIPTION_EVENT) {
            if (transactionOpen || off != 0) {
                throw new BinlogFormatException("FORMAT_DESCRIPTION inside a transaction at " + file + ":" + start);
            }
            headerOpen = true;
            unitStart = start;
            beginUnit();
            noteEventStart(off);
            firstTimestamp = EventHeader.timestamp(b, off);
            return;
        }
        if (headerOpen) {
            if (type == PREVIOUS_GTIDS_LOG_EVENT || type == GTID_LIST_EVENT) {
                noteEventStart(off);
                String previous = previousGtidsFormatter.apply(Arrays.copyOfRange(b, off, off + len));
                emit(RecordKind.FILE_HEADER, 0, buffer.size(), true, null, previous);
                buffer.clear();
                headerOpen = false;
                openPendingTerm(logPos, previous);
                return;
            }
            // A header without a GTID-state event (servers without GTIDs): it ends before this event.
            emit(RecordKind.FILE_HEADER, 0, off, true, null, null);
            buffer.discardFront(off);
            off = 0;
            headerOpen = false;
            openPendingTerm(start, "");
            b = buffer.array();
        }

        int role = boundaries.onEvent(b, off, checksumAlgorithm);
        if ((role & TransactionBoundaries.STARTS) != 0) {
            if (transactionOpen) {
                log.warn("transaction at {}:{} has no end before {}; closing it there", file, unitStart, start);
                emitTransactionPart(off, true);
                buffer.discardFront(off);
                b = buffer.array();
                off = 0;
            }
            transactionOpen = true;
            unitStart = start;
            beginUnit();
            gtid = GtidEvents.gtidText(b, off);
            firstTimestamp = EventHeader.timestamp(b, off);
        }
        if ((role & (TransactionBoundaries.STARTS | TransactionBoundaries.ENDS | TransactionBoundaries.INSIDE)) == 0) {
            // Outside any transaction: one EVENTS record of its own.
            if (off != 0) {
                throw new BinlogFormatException("unexpected buffered bytes before " + EventHeader.typeName(type) + " at " + file + ":" + start);
            }
            unitStart = start;
            beginUnit();
            noteEventStart(off);
            firstTimestamp = EventHeader.timestamp(b, off);
            emit(RecordKind.EVENTS, 0, len, true, null, null);
            buffer.clear();
            if (type == ROTATE_EVENT) {
                String next = RotateEvent.fileName(b, off, checksumAlgorithm);
                file = next;
                position = RotateEvent.position(b, off);
            }
            return;
        }
        noteEventStart(off);
        if ((role & TransactionBoundaries.ENDS) != 0) {
            emitTransactionPart(buffer.size(), true);
            buffer.clear();
            transactionOpen = false;
            return;
        }
        if (buffer.size() >= chunkSize) {
            int cut = (buffer.size() / chunkSize) * chunkSize;
            emitTransactionPart(cut, false);
            buffer.discardFront(cut);
            shiftEventStarts(cut);
        }
    }

    private void openPendingTerm(long termPosition, String headerGtidState) throws InterruptedException {
        if (termStartPending) {
            termStartPending = false;
            emitTermStart(file, termPosition, termStartGtidState != null ? termStartGtidState : headerGtidState);
        }
    }

    private void emitTermStart(String termFile, long termPosition, String gtidStateBefore) throws InterruptedException {
        describe(RecordKind.TERM_START, termFile, termPosition, termPosition, 0, true, null,
                gtidStateBefore == null ? "" : gtidStateBefore, 0, 0L);
        handOver(new OutgoingRecord(codec.encodeKey(key), codec.encodeValue(value, buffer.array(), 0, 0), RecordKind.TERM_START,
                termFile, termPosition, termPosition, null, 0, true, false));
    }

    /** Fills the reused key and value with everything but the events. */
    private void describe(RecordKind kind, String recordFile, long start, long end, int chunk, boolean last, String recordGtid,
            String previousGtids, int eventCount, long timestamp) {
        key.setTerm(term);
        key.setFile(recordFile);
        key.setPosition(start);
        key.setChunk(chunk);
        key.setKind(kind);
        value.setKind(kind);
        value.setTerm(term);
        value.setFlavor(source.flavor());
        value.setServerId(source.serverId());
        value.setServerUuid(source.serverUuid());
        value.setServerVersion(source.serverVersion());
        value.setFile(recordFile);
        value.setStartPosition(start);
        value.setEndPosition(end);
        value.setGtid(recordGtid);
        value.setPreviousGtids(previousGtids);
        value.setEventCount(eventCount);
        value.setEventTimestamp(timestamp);
        value.setChecksum(checksumAlgorithm == BINLOG_CHECKSUM_ALG_CRC32 ? ChecksumAlgorithm.CRC32 : ChecksumAlgorithm.NONE);
        value.setChunk(chunk);
        value.setLastChunk(last);
        value.setEvents(NO_EVENTS);
    }

    private void beginUnit() {
        unitBytesEmitted = 0;
        chunkIndex = 0;
        gtid = null;
        eventStartCount = 0;
    }

    private void noteEventStart(int off) {
        if (eventStartCount == eventStarts.length) {
            eventStarts = Arrays.copyOf(eventStarts, eventStartCount * 2);
        }
        eventStarts[eventStartCount++] = off;
    }

    private void shiftEventStarts(int cut) {
        int kept = 0;
        for (int i = 0; i < eventStartCount; i++) {
            if (eventStarts[i] >= cut) {
                eventStarts[kept++] = eventStarts[i] - cut;
            }
        }
        eventStartCount = kept;
    }

    /** Emits buffer[0, end) as chunk(s) of the open transaction; the last one completes it if {@code last}. */
    private void emitTransactionPart(int end, boolean last) throws InterruptedException {
        for (int from = 0; from < end; from += chunkSize) {
            int to = Math.min(end, from + chunkSize);
            emit(RecordKind.TRANSACTION, from, to, last && to == end, gtid, null);
        }
        if (end == 0 && last) {
            emit(RecordKind.TRANSACTION, 0, 0, true, gtid, null);
        }
    }

    private void emit(RecordKind kind, int from, int to, boolean complete, String recordGtid, String previousGtids)
            throws InterruptedException {
        int events = 0;
        for (int i = 0; i < eventStartCount; i++) {
            if (eventStarts[i] >= from && eventStarts[i] < to) {
                events++;
            }
        }
        long endPosition = unitStart + unitBytesEmitted + (to - from);
        describe(kind, file, unitStart, endPosition, chunkIndex, complete, recordGtid, previousGtids, events, firstTimestamp);
        byte[] encodedValue = codec.encodeValue(value, buffer.array(), from, to - from);
        byte[] encodedKey = codec.encodeKey(key);
        unitBytesEmitted += to - from;
        chunkIndex++;
        boolean ack = complete && ackRequested;
        if (ack) {
            ackRequested = false;
        }
        // A header that opens a term is committed with its TERM_START, never alone: a reader must not see a log
        // that starts with a header and not yet know what the log lacks.
        boolean commitPoint = complete && !(kind == RecordKind.FILE_HEADER && termStartPending);
        handOver(new OutgoingRecord(encodedKey, encodedValue, kind, file, unitStart, endPosition, recordGtid,
                to - from, commitPoint, ack));
    }

    private void handOver(OutgoingRecord record) throws InterruptedException {
        lastEmitted = record;
        sourceIdle = false;
        sink.accept(record);
    }

    /** The last record handed to the sink (null before the first); safe to call from any thread. */
    public OutgoingRecord lastEmitted() {
        return lastEmitted;
    }

    /**
     * True when the source's last message was a heartbeat, which a source sends only when it has had nothing to
     * send for a heartbeat period: everything it had was read. Safe to call from any thread.
     */
    public boolean sourceIdle() {
        return sourceIdle;
    }
}
