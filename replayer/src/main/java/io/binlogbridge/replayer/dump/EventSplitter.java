package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.LittleEndian;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Cuts the concatenated event bytes of consecutive records into whole events, without copying: an
 * event inside one record is a slice of that record's bytes; an event split over chunks (a 64 MiB
 * row event) becomes a composite of slices. Only a header split across two chunks is copied (19 bytes).
 */
final class EventSplitter {
    /** Receives each whole event with the file position of its first byte. */
    interface EventSink {
        void event(ByteBuf event, long position) throws DumpRefusedException;
    }

    private CompositeByteBuf partial;
    private byte[] partialHeader;
    private int partialHeaderLength;
    private long partialRemaining;
    private long partialStart;

    /** True between two events: no event is half read. */
    boolean atBoundary() {
        return partial == null && partialHeader == null;
    }

    void reset() {
        if (partial != null) {
            partial.release();
        }
        partial = null;
        partialHeader = null;
        partialHeaderLength = 0;
    }

    /** Feeds {@code b[off, off+len)}, whose first byte is at file position {@code position}. */
    void feed(byte[] b, int off, int len, long position, EventSink sink) throws DumpRefusedException {
        while (len > 0) {
            if (partialHeader != null) {
                int take = Math.min(len, BinlogConstants.LOG_EVENT_HEADER_LEN - partialHeaderLength);
                System.arraycopy(b, off, partialHeader, partialHeaderLength, take);
                partialHeaderLength += take;
                off += take;
                len -= take;
                position += take;
                if (partialHeaderLength < BinlogConstants.LOG_EVENT_HEADER_LEN) {
                    return;
                }
                long size = LittleEndian.uint32(partialHeader, BinlogConstants.EVENT_LEN_OFFSET);
                checkSize(size, partialStart);
                partial = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                partial.addComponent(true, Unpooled.wrappedBuffer(partialHeader));
                partialRemaining = size - BinlogConstants.LOG_EVENT_HEADER_LEN;
                partialHeader = null;
                if (partialRemaining == 0) {
                    finishPartial(sink);
                }
                continue;
            }
            if (partial != null) {
                int take = (int) Math.min(len, partialRemaining);
                partial.addComponent(true, Unpooled.wrappedBuffer(b, off, take));
                off += take;
                len -= take;
                position += take;
                partialRemaining -= take;
                if (partialRemaining == 0) {
                    finishPartial(sink);
                }
                continue;
            }
            if (len < BinlogConstants.LOG_EVENT_HEADER_LEN) {
                partialHeader = new byte[BinlogConstants.LOG_EVENT_HEADER_LEN];
                System.arraycopy(b, off, partialHeader, 0, len);
                partialHeaderLength = len;
                partialStart = position;
                return;
            }
            long size = LittleEndian.uint32(b, off + BinlogConstants.EVENT_LEN_OFFSET);
            checkSize(size, position);
            if (size <= len) {
                sink.event(Unpooled.wrappedBuffer(b, off, (int) size), position);
                off += (int) size;
                len -= (int) size;
                position += size;
            } else {
                partial = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                partial.addComponent(true, Unpooled.wrappedBuffer(b, off, len));
                partialStart = position;
                partialRemaining = size - len;
                position += len;
                len = 0;
            }
        }
    }

    private void finishPartial(EventSink sink) throws DumpRefusedException {
        CompositeByteBuf event = partial;
        partial = null;
        sink.event(event, partialStart);
    }

    private static void checkSize(long size, long position) throws DumpRefusedException {
        if (size < BinlogConstants.LOG_EVENT_HEADER_LEN || size > Integer.MAX_VALUE - 16) {
            throw new DumpRefusedException("bogus data in log event (event length " + size + " at position " + position + ")");
        }
    }
}
