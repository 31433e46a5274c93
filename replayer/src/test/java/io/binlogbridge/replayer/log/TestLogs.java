package io.binlogbridge.replayer.log;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.replayer.dump.ArtificialEvents;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link LogIndex} from record metadata, as the indexer would from the topic: for tests of its readers. */
public final class TestLogs {
    public static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final LogIndex index;
    private final Flavor flavor;
    private long offset;
    private final List<BinlogRecord> records = new ArrayList<>();
    private int term = 1;
    private String serverUuid = UUID;
    private long eventTimestamp;

    public TestLogs(Flavor flavor) {
        this.flavor = flavor;
        this.index = new LogIndex(null, flavor);
    }

    /** Every record added, in topic order (record i at offset i), events included. */
    public List<BinlogRecord> records() {
        return records;
    }

    public LogIndex index() {
        index.markReady();
        return index;
    }

    /** Records from here on are of {@code term}, written from a source with {@code serverUuid} (MySQL). */
    public TestLogs term(int term, String serverUuid) {
        this.term = term;
        this.serverUuid = serverUuid;
        return this;
    }

    /** A real ROTATE at {@code start} of {@code file}, naming the source's next file (checksummed, as the records say). */
    public TestLogs rotate(String file, long start, String next) {
        byte[] event = rotateEvent(next, start, true);
        return add(RecordKind.EVENTS, file, start, start + event.length, null, null, event);
    }

    /** A ROTATE as a source writes it at {@code start} of its file: not artificial, log_pos at its end. */
    public static byte[] rotateEvent(String next, long start, boolean checksum) {
        byte[] e = ArtificialEvents.fakeRotate(1, next, 4, checksum);
        LittleEndian.putUint32(e, 0, 1_700_000_000L);
        EventHeader.setFlags(e, 0, 0);
        EventHeader.setLogPos(e, 0, start + e.length);
        if (checksum) {
            ChecksumAlgorithms.recompute(e, 0, e.length);
        }
        return e;
    }

    /**
     * An event with a CRC32 checksum as a server writes it at {@code start} of its file: {@code body} after the 19-byte
     * header, log_pos at its end.
     */
    public static byte[] checksummedEvent(int type, byte[] body, long serverId, long start) {
        int size = BinlogConstants.LOG_EVENT_HEADER_LEN + body.length + BinlogConstants.BINLOG_CHECKSUM_LEN;
        byte[] e = new byte[size];
        LittleEndian.putUint32(e, 0, 1_700_000_000L);
        e[BinlogConstants.EVENT_TYPE_OFFSET] = (byte) type;
        LittleEndian.putUint32(e, BinlogConstants.SERVER_ID_OFFSET, serverId);
        LittleEndian.putUint32(e, BinlogConstants.EVENT_LEN_OFFSET, size);
        LittleEndian.putUint32(e, BinlogConstants.LOG_POS_OFFSET, start + size);
        System.arraycopy(body, 0, e, BinlogConstants.LOG_EVENT_HEADER_LEN, body.length);
        ChecksumAlgorithms.recompute(e, 0, size);
        return e;
    }

    /** Records from here on carry this event timestamp (seconds since the epoch; 0 until set). */
    public TestLogs at(long eventTimestamp) {
        this.eventTimestamp = eventTimestamp;
        return this;
    }

    public TestLogs header(String file, long end, String previousGtids) {
        return add(RecordKind.FILE_HEADER, file, 4, end, null, previousGtids);
    }

    public TestLogs termStart(String file, long position, String stateBefore) {
        return add(RecordKind.TERM_START, file, position, position, null, stateBefore);
    }

    public TestLogs transaction(String file, long start, long end, String gtid) {
        return add(RecordKind.TRANSACTION, file, start, end, gtid, null);
    }

    public TestLogs add(RecordKind kind, String file, long start, long end, String gtid, String previousGtids) {
        return add(kind, file, start, end, gtid, previousGtids, new byte[0]);
    }

    public TestLogs add(RecordKind kind, String file, long start, long end, String gtid, String previousGtids, byte[] events) {
        BinlogRecord r = BinlogRecord.newBuilder().setKind(kind).setTerm(term).setFlavor(flavor).setServerId(term)
                .setServerUuid(flavor == Flavor.MYSQL ? serverUuid : null).setServerVersion(flavor == Flavor.MYSQL ? "8.0.15" : "10.11.6-MariaDB")
                .setFile(file).setStartPosition(start).setEndPosition(end).setGtid(gtid).setPreviousGtids(previousGtids)
                .setEventCount(kind == RecordKind.TERM_START ? 0 : 1).setEventTimestamp(eventTimestamp).setChecksum(ChecksumAlgorithm.CRC32)
                .setChunk(0).setLastChunk(true).setEvents(ByteBuffer.wrap(events)).build();
        records.add(r);
        // Keys as the relay's are unique per record; a snapshot remembers the last one.
        index.apply(offset, ("key-" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8), r);
        offset++;
        return this;
    }
}
