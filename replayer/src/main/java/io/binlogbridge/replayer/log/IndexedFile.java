package io.binlogbridge.replayer.log;

import io.binlogbridge.core.record.PresentedNames;
import io.binlogbridge.schemas.BinlogRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * One source binlog file as the topic holds it: where its header record is, how far it goes, and a
 * sparse map from file positions to topic offsets for starting a dump in its middle. A file is the source's
 * (term, file name); clients know it by its presented name ({@link PresentedNames}). Written by the
 * indexer thread only; read under {@link LogIndex}'s lock.
 */
public final class IndexedFile {
    private static final long SPARSE_EVERY_BYTES = 1 << 20;

    final int term;
    /** The name clients see (the source's own in the log's first term). */
    final String name;
    /** The name on the source, as the records carry it. */
    final String sourceName;
    /** Its place in the log: 0 for the first file. */
    final int ordinal;
    /** The FILE_HEADER record (FORMAT_DESCRIPTION + PREVIOUS_GTIDS / GTID_LIST), or null if the topic lacks it. */
    final BinlogRecord header;
    final long headerOffset;
    final long firstOffset;
    long lastOffset;
    long size;
    /** Header timestamp (seconds since the epoch) of the file's latest event: its age for PURGE ... BEFORE and retention. */
    long lastEventTime;
    private final TreeMap<Long, Long> offsetsByPosition = new TreeMap<>();
    private long lastIndexedPosition = -SPARSE_EVERY_BYTES;
    /**
     * The first file of a later term: the GTID state the log held when the term began (its TERM_START). The header's
     * PREVIOUS_GTIDS is the new source's, which may predate the switch; what lies between is in earlier terms.
     */
    String termStartGtids;
    /** The file a real ROTATE at the file's end names on the source; null while the file has none. */
    String rotateTarget;

    IndexedFile(int ordinal, int term, String name, String sourceName, BinlogRecord header, long offset, long startPosition) {
        this.ordinal = ordinal;
        this.term = term;
        this.name = name;
        this.sourceName = sourceName;
        this.header = header;
        this.headerOffset = header != null ? offset : -1;
        this.firstOffset = offset;
        this.lastOffset = offset;
        this.size = startPosition;
        offsetsByPosition.put(startPosition, offset);
    }

    /** A file as a snapshot describes it ({@link IndexSnapshot}). */
    IndexedFile(IndexSnapshot.FileState f) {
        this(f.ordinal(), f.term(), f.name(), f.sourceName(), f.header(), f.firstOffset(), 0);
        offsetsByPosition.clear();
        for (int i = 0; i < f.positions().length; i++) {
            offsetsByPosition.put(f.positions()[i], f.offsets()[i]);
        }
        lastOffset = f.lastOffset();
        size = f.size();
        lastEventTime = f.lastEventTime();
        lastIndexedPosition = f.lastIndexedPosition();
        termStartGtids = f.termStartGtids();
        rotateTarget = f.rotateTarget();
    }

    /** Its state for a snapshot; called under the index's lock. */
    IndexSnapshot.FileState state() {
        long[] positions = new long[offsetsByPosition.size()];
        long[] offsets = new long[positions.length];
        int i = 0;
        for (Map.Entry<Long, Long> e : offsetsByPosition.entrySet()) {
            positions[i] = e.getKey();
            offsets[i++] = e.getValue();
        }
        return new IndexSnapshot.FileState(ordinal, term, name, sourceName, header, firstOffset, lastOffset, size, lastEventTime,
                lastIndexedPosition, termStartGtids, rotateTarget, positions, offsets);
    }

    void add(long offset, BinlogRecord value) {
        lastOffset = offset;
        size = Math.max(size, value.getEndPosition());
        lastEventTime = Math.max(lastEventTime, value.getEventTimestamp());
        if (value.getChunk() == 0 && value.getStartPosition() - lastIndexedPosition >= SPARSE_EVERY_BYTES) {
            offsetsByPosition.put(value.getStartPosition(), offset);
            lastIndexedPosition = value.getStartPosition();
        }
    }

    public String name() {
        return name;
    }

    /** The file's name on its source (records and keys carry it). */
    public String sourceName() {
        return sourceName;
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

    /** Seconds since the epoch of the file's latest event (as MySQL uses a file's modification time); 0 if none yet. */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** An offset at or before the record holding {@code position}: where to start reading for it. */
    public long offsetAtOrBefore(long position) {
        Map.Entry<Long, Long> e = offsetsByPosition.floorEntry(position);
        return e == null ? firstOffset : e.getValue();
    }

    /** The GTID state the file's header says the source had before it, as text; "" when unknown. */
    public String previousGtids() {
        return header == null || header.getPreviousGtids() == null ? "" : header.getPreviousGtids();
    }

    /**
     * The GTID state the log holds before this file, as text ("" when unknown): the header's, except for the first
     * file of a later term, whose TERM_START says what the log held at the switch.
     */
    public String gtidsAtStart() {
        return termStartGtids != null ? termStartGtids : previousGtids();
    }
}
