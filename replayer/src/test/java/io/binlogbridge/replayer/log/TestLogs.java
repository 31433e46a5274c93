package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;

/** Builds a {@link LogIndex} from record metadata, as the indexer would from the topic: for tests of its readers. */
public final class TestLogs {
    public static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final LogIndex index;
    private final Flavor flavor;
    private long offset;

    public TestLogs(Flavor flavor) {
        this.flavor = flavor;
        this.index = new LogIndex(null, flavor);
    }

    public LogIndex index() {
        index.markReady();
        return index;
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
        BinlogRecord r = BinlogRecord.newBuilder().setKind(kind).setTerm(1).setFlavor(flavor).setServerId(1)
                .setServerUuid(flavor == Flavor.MYSQL ? UUID : null).setServerVersion(flavor == Flavor.MYSQL ? "8.0.15" : "10.11.6-MariaDB")
                .setFile(file).setStartPosition(start).setEndPosition(end).setGtid(gtid).setPreviousGtids(previousGtids)
                .setEventCount(kind == RecordKind.TERM_START ? 0 : 1).setEventTimestamp(0).setChecksum(ChecksumAlgorithm.CRC32)
                .setChunk(0).setLastChunk(true).setEvents(ByteBuffer.allocate(0)).build();
        index.apply(offset++, r);
        return this;
    }
}
