package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * One source binlog file as the topic holds it: where its header record is, how far it goes, and a
 * sparse map from file positions to topic offsets for starting a dump in its middle. Written by the
 * indexer thread only; read under {@link LogIndex}'s lock.
 */
public final class IndexedFile {
    private static final long SPARSE_EVERY_BYTES = 1 << 20;

    final int term;
    final String name;
    /** The FILE_HEADER record (FORMAT_DESCRIPTION + PREVIOUS_GTIDS / GTID_LIST), or null if the topic lacks it. */
    final BinlogRecord header;
    final long headerOffset;
    final long firstOffset;
    long lastOffset;
    long size;
    private final TreeMap<Long, Long> offsetsByPosition = new TreeMap<>();
    private long lastIndexedPosition = -SPARSE_EVERY_BYTES;

    IndexedFile(int term, String name, BinlogRecord header, long offset, long startPosition) {
        this.term = term;
        this.name = name;
        this.header = header;
        this.headerOffset = header != null ? offset : -1;
        this.firstOffset = offset;
        this.lastOffset = offset;
        this.size = startPosition;
        offsetsByPosition.put(startPosition, offset);
    }

    void add(long offset, BinlogRecord value) {
        lastOffset = offset;
        size = Math.max(size, value.getEndPosition());
        if (value.getChunk() == 0 && value.getStartPosition() - lastIndexedPosition >= SPARSE_EVERY_BYTES) {
            offsetsByPosition.put(value.getStartPosition(), offset);
            lastIndexedPosition = value.getStartPosition();
        }
    }

    public String name() {
        return name;
    }

    public int term() {
        return term;
    }

    public long size() {
        return size;
    }

    public BinlogRecord header() {
        return header;
    }

    public long headerOffset() {
        return headerOffset;
    }

    public long firstOffset() {
        return firstOffset;
    }

    /** An offset at or before the record holding {@code position}: where to start reading for it. */
    public long offsetAtOrBefore(long position) {
        Map.Entry<Long, Long> e = offsetsByPosition.floorEntry(position);
        return e == null ? firstOffset : e.getValue();
    }

    /** The GTID state the file starts with, as text; "" when unknown. */
    public String previousGtids() {
        return header == null || header.getPreviousGtids() == null ? "" : header.getPreviousGtids();
    }
}
