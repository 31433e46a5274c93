package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.wire.FramedPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets of one dump, framed here (length, sequence id, payload) into pooled off-heap buffers that
 * hold many events each: a small event costs one copy out of its record block and no allocation. An
 * event larger than {@link #COPY_LIMIT} is not copied: its packets are a header buffer followed by a slice
 * of the block. The dump owns the connection's sequence ids from its first packet to its last.
 */
final class DumpPackets {
    static final int COPY_LIMIT = 64 << 10;
    private static final int HEADER = 4;

    private final ByteBufAllocator alloc;
    private final int bufferSize;
    private final List<ByteBuf> ready = new ArrayList<>();
    private ByteBuf open;
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

    /** A binlog event: the OK byte, then {@code source[index, index+length)}. */
    void event(ByteBuf source, int index, int length) {
        append(true, source, index, length);
    }

    /** A packet whose payload is {@code source[index, index+length)} (EOF, ERR). */
    void payload(ByteBuf source, int index, int length) {
        append(false, source, index, length);
    }

    private void append(boolean okByte, ByteBuf source, int index, int length) {
        int payloadLength = length + (okByte ? 1 : 0);
        pendingBytes += payloadLength + HEADER;
        if (payloadLength < MySqlConstants.MAX_PACKET_LENGTH && length <= COPY_LIMIT) {
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
        seal();
        int remaining = payloadLength;
        boolean first = true;
        while (true) {
            int chunk = Math.min(remaining, MySqlConstants.MAX_PACKET_LENGTH);
            ByteBuf header = alloc.directBuffer(HEADER + 1);
            header.writeMediumLE(chunk);
            header.writeByte(nextSequence());
            int body = chunk;
            if (first && okByte) {
                header.writeByte(0);
                body--;
            }
            first = false;
            ready.add(header);
            if (body > 0) {
                ready.add(source.retainedSlice(index, body));
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
            seal();
        }
        if (open == null) {
            int size = Math.max(bufferSize, bytes);
            open = alloc.directBuffer(size, size);
        }
        return open;
    }

    private void seal() {
        if (open != null) {
            ready.add(open);
            open = null;
        }
    }

    private int nextSequence() {
        int id = sequence;
        sequence = (sequence + 1) & 0xFF;
        return id;
    }

    /** Everything framed so far, as messages for the channel, in order. */
    List<FramedPackets> drain() {
        seal();
        List<FramedPackets> out = new ArrayList<>(ready.size());
        for (ByteBuf b : ready) {
            out.add(new FramedPackets(b));
        }
        ready.clear();
        pendingBytes = 0;
        return out;
    }

    /** Frees what was framed and never drained. */
    void discard() {
        seal();
        for (ByteBuf b : ready) {
            b.release();
        }
        ready.clear();
        pendingBytes = 0;
    }
}
