package io.binlogbridge.core.replica;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.core.protocol.PacketChannel;
import io.binlogbridge.core.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the packets a source sends after COM_BINLOG_DUMP: each is an OK byte followed by one event
 * (events of 16 MiB and more span several packets). Event bytes go straight from the socket buffer
 * to the end of the caller's buffer.
 */
public final class BinlogEventReader {
    private final PacketChannel channel;
    private final boolean semiSync;
    private boolean ackRequested;

    public BinlogEventReader(PacketChannel channel, boolean semiSync) {
        this.channel = channel;
        this.semiSync = semiSync;
    }

    /**
     * Appends the next event to {@code dst} and returns its length; -1 when the source ended the
     * stream with EOF (a NON_BLOCK dump reached the end of the log).
     *
     * @throws MySqlServerException the source sent an error (ERR 1236 for a purged or unknown position)
     */
    public int readEvent(GrowableBuffer dst) throws IOException {
        int length = channel.readHeader();
        if (length == 0) {
            throw new ProtocolException("empty packet in binlog stream");
        }
        int status = channel.readByte();
        int remaining = length - 1;
        if (status == MySqlConstants.ERR_HEADER) {
            byte[] rest = new byte[remaining];
            channel.readFully(rest, 0, remaining);
            throw parseError(rest);
        }
        if (status == MySqlConstants.EOF_HEADER && length < 9) {
            channel.skipFully(remaining);
            return -1;
        }
        if (status != MySqlConstants.OK_HEADER) {
            throw new ProtocolException("unexpected packet 0x" + Integer.toHexString(status) + " in binlog stream");
        }
        ackRequested = false;
        if (semiSync) {
            int magic = channel.readByte();
            int flag = channel.readByte();
            if (magic != BinlogConstants.SEMI_SYNC_INDICATOR) {
                throw new ProtocolException("semi-sync event without its 0xEF indicator");
            }
            ackRequested = (flag & BinlogConstants.SEMI_SYNC_ACK_REQUESTED) != 0;
            remaining -= 2;
        }
        int total = remaining;
        int at = dst.reserve(remaining);
        channel.readFully(dst.array(), at, remaining);
        while (length == MySqlConstants.MAX_PACKET_LENGTH) {
            length = channel.readHeader();
            at = dst.reserve(length);
            channel.readFully(dst.array(), at, length);
            total += length;
        }
        if (ackRequested) {
            // The source restarts its packet numbering after an event that wants a reply, counting the
            // reply (ours, sent later, with sequence 0) as packet 0.
            channel.expectSequence(1);
        }
        return total;
    }

    /** Whether the source asked for a semi-sync acknowledgement of the last event read. */
    public boolean ackRequested() {
        return ackRequested;
    }

    static MySqlServerException parseError(byte[] rest) {
        int code = rest.length >= 2 ? (rest[0] & 0xFF) | (rest[1] & 0xFF) << 8 : 0;
        int p = 2;
        String state = MySqlConstants.SQLSTATE_GENERAL;
        if (rest.length >= 8 && rest[2] == '#') {
            state = new String(rest, 3, 5, StandardCharsets.US_ASCII);
            p = 8;
        }
        String message = new String(rest, Math.min(p, rest.length), Math.max(0, rest.length - p), StandardCharsets.UTF_8);
        return new MySqlServerException(code, state, message);
    }
}
