package io.binlogbridge.server.wire;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The packet sequence id of one connection. Every packet the client sends sets the next id we send
 * to its id + 1 (a command starts at 0, so its answer starts at 1); every packet we send takes the
 * next id. Shared by {@link PacketFrameDecoder} and {@link PacketEncoder} through a channel attribute.
 * Touched only on the channel's event loop.
 */
public final class PacketSequence {
    private static final AttributeKey<PacketSequence> KEY = AttributeKey.valueOf(PacketSequence.class, "sequence");

    private int next;
    private boolean ignoreReceived;

    public static PacketSequence of(Channel channel) {
        PacketSequence seq = channel.attr(KEY).get();
        if (seq == null) {
            seq = new PacketSequence();
            PacketSequence existing = channel.attr(KEY).setIfAbsent(seq);
            if (existing != null) {
                seq = existing;
            }
        }
        return seq;
    }

    /** The client sent a packet with this id. */
    public void received(int sequenceId) {
        if (!ignoreReceived) {
            next = (sequenceId + 1) & 0xFF;
        }
    }

    /**
     * A binlog dump is one long answer: packets the client sends meanwhile (a ping, a semi-sync ack)
     * must not restart the numbering of the event stream.
     */
    public void ignoreReceived(boolean ignore) {
        this.ignoreReceived = ignore;
    }

    /** The id of the packet about to be sent; advances. */
    public int nextToSend() {
        int id = next;
        next = (next + 1) & 0xFF;
        return id;
    }

    /** A dump numbered its packets itself, up to {@code id} exclusive (see FramedPackets). */
    public void continueAt(int id) {
        next = id & 0xFF;
    }

    public int peek() {
        return next;
    }

    /** The server starts a new exchange itself (the initial handshake). */
    public void reset() {
        next = 0;
    }
}
