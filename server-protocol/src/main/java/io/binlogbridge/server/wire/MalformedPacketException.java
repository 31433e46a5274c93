package io.binlogbridge.server.wire;

/** A packet ended before a field it must hold, or a field had an impossible value. Answered with ERR 1835. */
public final class MalformedPacketException extends RuntimeException {
    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
