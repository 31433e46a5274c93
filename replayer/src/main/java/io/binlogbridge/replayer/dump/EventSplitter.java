package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.LittleEndian;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Cuts the concatenated event bytes of consecutive records into whole events, without copying: an
 * event inside one record is handed on as a range of that record's bytes; an event split over chunks
 * (a 64 MiB row event) becomes a composite of retained slices. Only a header split across two chunks is
 * copied (19 bytes).
 */
final class EventSplitter {
    /**
     * Receives each whole event, {@code source[index, index+length)}, with the file position of its first
     * byte. {@code source} is valid only during the call: a sink that keeps it retains it.
     */
    interface EventSink {
        void event(ByteBuf source, int index, int length, long position) throws DumpRefusedException;
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

    /** Feeds {@code b[index, index+len)}, whose first byte is at file position {@code position}. */
    void feed(ByteBuf b, int index, int len, long position, EventSink sink) throws DumpRefusedException {
        while (len > 0) {
            if (partialHeader != null) {
                int take = Math.min(len, BinlogConstants.LOG_EVENT_HEADER_LEN - partialHeaderLength);
                b.getBytes(index, partialHeader, partialHeaderLength, take);
                partialHeaderLength += take;
                index += take;
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
                partial.addComponent(true, b.retainedSlice(index, take));
                index += take;
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
                b.getBytes(index, partialHeader, 0, len);
                partialHeaderLength = len;
                partialStart = position;
                return;
            }
            long size = b.getUnsignedIntLE(index + BinlogConstants.EVENT_LEN_OFFSET);
            checkSize(size, position);
            if (size <= len) {
                sink.event(b, index, (int) size, position);
                index += (int) size;
                len -= (int) size;
                position += size;
            } else {
                partial = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                partial.addComponent(true, b.retainedSlice(index, len));
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
        try {
            sink.event(event, event.readerIndex(), event.readableBytes(), partialStart);
        } finally {
            event.release();
        }
    }

    private static void checkSize(long size, long position) throws DumpRefusedException {
        if (size < BinlogConstants.LOG_EVENT_HEADER_LEN || size > Integer.MAX_VALUE - 16) {
            throw new DumpRefusedException("bogus data in log event (event length " + size + " at position " + position + ")");
        }
    }
}
