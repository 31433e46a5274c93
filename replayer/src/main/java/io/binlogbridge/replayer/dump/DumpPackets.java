package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.wire.FramedPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The packets of one dump, framed here (length, sequence id, payload) and handed to the channel a batch at a
 * time as one gathered buffer. Headers and small events are written into pooled buffers shared by many
 * events; an event longer than {@link #SLICE_FROM} bytes is not copied at all: its packet is its header in
 * that buffer followed by a slice of the record block it came from, so fifty dumps of the same history send
 * the one off-heap copy the cache holds. The dump owns the connection's sequence ids from its first packet
 * to its last.
 */
final class DumpPackets {
    /** Longer events are sent from where they are; shorter ones cost less to copy than a slice and a gather entry. */
    static final int SLICE_FROM = 1024;
    /** What {@link #copiedEvent} copies at most: a reader that reuses its buffer hands longer events in arrays of their own. */
    static final int COPY_LIMIT = 64 << 10;
    private static final int HEADER = 4;

    private final ByteBufAllocator alloc;
    private final int bufferSize;
    /** Headers and copied events; its bytes from {@link #openSent} on are not in {@link #batch} yet. */
    private ByteBuf open;
    private int openSent;
    private CompositeByteBuf batch;
    private int sequence;
    private long pendingBytes;

    DumpPackets(ByteBufAllocator alloc, int bufferSize, int firstSequence) {
        this.alloc = alloc;
        this.bufferSize = bufferSize;
        this.sequence = firstSequence & 0xFF;
    }

    /** The id the next packet will take. */
    int sequence() {
        return sequence;
    }

    /** Bytes framed and not yet taken by {@link #drain}. */
    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * A binlog event: the OK byte, then {@code source[index, index+length)}. The bytes must stay as they are until
     * the channel has written them (a record block, a fresh array): a long event is sent as a slice of them.
     */
    void event(ByteBuf source, int index, int length) {
        append(true, source, index, length, SLICE_FROM);
    }

    /** A binlog event whose buffer the caller reuses once this returns: copied unless longer than {@link #COPY_LIMIT}. */
    void copiedEvent(ByteBuf source, int index, int length) {
        append(true, source, index, length, COPY_LIMIT);
    }

    /** A packet whose payload is {@code source[index, index+length)} (EOF, ERR). */
    void payload(ByteBuf source, int index, int length) {
        append(false, source, index, length, COPY_LIMIT);
    }

    private void append(boolean okByte, ByteBuf source, int index, int length, int copyLimit) {
        int payloadLength = length + (okByte ? 1 : 0);
        pendingBytes += payloadLength + HEADER;
        if (payloadLength < MySqlConstants.MAX_PACKET_LENGTH && length <= copyLimit) {
            ByteBuf out = writable(HEADER + payloadLength);
            out.writeMediumLE(payloadLength);
            out.writeByte(nextSequence());
            if (okByte) {
                out.writeByte(0);
            }
            out.writeBytes(source, index, length);
            return;
        }
        // Packets of at most MAX_PACKET_LENGTH bytes; a payload that is an exact multiple of it ends with an empty one.
        int remaining = payloadLength;
        boolean first = true;
        while (true) {
            int chunk = Math.min(remaining, MySqlConstants.MAX_PACKET_LENGTH);
            ByteBuf header = writable(HEADER + 1);
            header.writeMediumLE(chunk);
            header.writeByte(nextSequence());
            int body = chunk;
            if (first && okByte) {
                header.writeByte(0);
                body--;
            }
            first = false;
            if (body > 0) {
                sendOpen();
                batch().addComponent(true, source.retainedSlice(index, body));
                index += body;
            }
            remaining -= chunk;
            if (chunk < MySqlConstants.MAX_PACKET_LENGTH) {
                return;
            }
        }
    }

    private ByteBuf writable(int bytes) {
        if (open != null && open.writableBytes() < bytes) {
            closeOpen();
        }
        if (open == null) {
            int size = Math.max(bufferSize, bytes);
            open = alloc.directBuffer(size, size);
            openSent = 0;
        }
        return open;
    }

    /** Moves what was written into the open buffer since the last call into the batch; the buffer stays open. */
    private void sendOpen() {
        if (open != null && open.writerIndex() > openSent) {
            batch().addComponent(true, open.retainedSlice(openSent, open.writerIndex() - openSent));
            openSent = open.writerIndex();
        }
    }

    private void closeOpen() {
        if (open != null) {
            sendOpen();
            open.release();
            open = null;
        }
    }

    private CompositeByteBuf batch() {
        if (batch == null) {
            // No component limit: past it Netty would consolidate, copying what gathering is meant to spare.
            batch = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        }
        return batch;
    }

    private int nextSequence() {
        int id = sequence;
        sequence = (sequence + 1) & 0xFF;
        return id;
    }

    /**
     * Everything framed so far, as one message for the channel, or null when nothing was. The open buffer goes with
     * it, so that a dump waiting at the end of the log holds no buffer of its own.
     */
    FramedPackets drain() {
        closeOpen();
        CompositeByteBuf out = batch;
        batch = null;
        pendingBytes = 0;
        return out == null ? null : new FramedPackets(out);
    }

    /** Frees what was framed and never drained. */
    void discard() {
        closeOpen();
        if (batch != null) {
            batch.release();
            batch = null;
        }
        pendingBytes = 0;
    }
}
