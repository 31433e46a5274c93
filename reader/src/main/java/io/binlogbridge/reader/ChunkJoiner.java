package io.binlogbridge.reader;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a transaction's chunks back together. A transaction that fits one record is handed on as a view of that
 * record's value (no copy); a chunked one is held until its last chunk, then copied once into one array. So the
 * memory held is the one transaction being read.
 */
final class ChunkJoiner {

    /** A whole transaction: its first record's offset and metadata, the last's, and its event bytes {@code bytes[off, off+len)}. */
    record Joined(long offset, BinlogRecord first, BinlogRecord last, byte[] bytes, int off, int len) {}

    /** The values of the chunks so far, and where each one's events begin. */
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> chunkEvents = new ArrayList<>();
    private BinlogRecord first;
    private long firstOffset;

    /** Whether chunks of a transaction are waiting for their last one. */
    boolean isPending() {
        return first != null;
    }

    /**
     * Adds the TRANSACTION record at {@code offset} ({@code metadata} decoded from {@code value}); returns the whole
     * transaction on its last chunk, null before.
     */
    Joined add(long offset, BinlogRecord metadata, byte[] value) {
        int eventsAt = BinlogRecordCodec.eventsOffset(value);
        if (first == null) {
            if (metadata.getChunk() != 0) {
                throw new ReaderException("record at offset " + offset + " is chunk " + metadata.getChunk() + " of the transaction at "
                        + metadata.getFile() + ":" + metadata.getStartPosition() + ", whose chunk 0 was not read before it");
            }
            if (metadata.getLastChunk()) {
                return new Joined(offset, metadata, metadata, value, eventsAt, value.length - eventsAt);
            }
            first = metadata;
            firstOffset = offset;
        } else if (metadata.getChunk() != first.getChunk() + chunks.size() || metadata.getTerm() != first.getTerm()
                || metadata.getStartPosition() != first.getStartPosition() || !metadata.getFile().equals(first.getFile())) {
            throw new ReaderException("record at offset " + offset + " (" + metadata.getFile() + ":" + metadata.getStartPosition() + " chunk "
                    + metadata.getChunk() + ") does not continue the transaction at " + first.getFile() + ":" + first.getStartPosition()
                    + " after its chunk " + (chunks.size() - 1));
        }
        chunks.add(value);
        chunkEvents.add(eventsAt);
        if (!metadata.getLastChunk()) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            total += chunks.get(i).length - chunkEvents.get(i);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new ReaderException("transaction at " + first.getFile() + ":" + first.getStartPosition() + " holds " + total
                    + " bytes of events, more than one Java array can");
        }
        byte[] joined = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            System.arraycopy(c, chunkEvents.get(i), joined, at, c.length - chunkEvents.get(i));
            at += c.length - chunkEvents.get(i);
        }
        Joined whole = new Joined(firstOffset, first, metadata, joined, 0, joined.length);
        chunks.clear();
        chunkEvents.clear();
        first = null;
        return whole;
    }
}
