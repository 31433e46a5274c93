package io.binlogbridge.core.gtid;

import io.binlogbridge.core.binlog.LittleEndian;

import io.binlogbridge.core.binlog.BinlogConstants;
import java.util.Objects;

/**
 * One MariaDB GTID, {@code domain-server-seq}. Domain and server ids are unsigned 32-bit (held in a long,
 * 0 .. 4294967295); {@code seqNo} is unsigned 64-bit stored in a long's bits, so compare it with
 * {@link Long#compareUnsigned} (as {@link #compareSeqNo} does), never with {@code <}.
 */
public record MariaDbGtid(long domainId, long serverId, long seqNo) {

    private static final long U32_MAX = 0xFFFF_FFFFL;

    public MariaDbGtid {
        if (domainId < 0 || domainId > U32_MAX) {
            throw new IllegalArgumentException("MariaDB domain id " + domainId + " out of range 0.." + U32_MAX);
        }
        if (serverId < 0 || serverId > U32_MAX) {
            throw new IllegalArgumentException("MariaDB server id " + serverId + " out of range 0.." + U32_MAX);
        }
    }

    /** Parses {@code domain-server-seq} (decimal, unsigned); surrounding whitespace is ignored. */
    public static MariaDbGtid parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int d1 = s.indexOf('-');
        int d2 = d1 < 0 ? -1 : s.indexOf('-', d1 + 1);
        if (d1 < 0 || d2 < 0 || s.indexOf('-', d2 + 1) >= 0) {
            throw new IllegalArgumentException("malformed MariaDB GTID \"" + text + "\": expected domain-server-seq");
        }
        long domain = unsigned(s.substring(0, d1), U32_MAX, "domain id", text);
        long server = unsigned(s.substring(d1 + 1, d2), U32_MAX, "server id", text);
        long seq = unsigned(s.substring(d2 + 1), -1L, "sequence number", text);
        return new MariaDbGtid(domain, server, seq);
    }

    /**
     * Reads a MariaDB GTID_EVENT (type 162) body: seq_no(8) domain_id(4) flags2(1) …, all little-endian.
     * The server id is not in the body; it is the event header's.
     */
    public static MariaDbGtid fromGtidEventBody(byte[] event, int offsetOfBody, long headerServerId) {
        GtidBytes.require(event, offsetOfBody, 8 + 4 + 1, "MariaDB GTID_EVENT body");
        long seq = LittleEndian.int64(event, offsetOfBody);
        long domain = LittleEndian.uint32(event, offsetOfBody + 8);
        return new MariaDbGtid(domain, headerServerId, seq);
    }

    /** Reads a whole MariaDB GTID_EVENT starting at its 19-byte common header (server id at bytes 5..8). */
    public static MariaDbGtid fromGtidEvent(byte[] event, int offsetOfEvent) {
        GtidBytes.require(event, offsetOfEvent, BinlogConstants.LOG_EVENT_HEADER_LEN, "MariaDB GTID_EVENT header");
        long serverId = LittleEndian.uint32(event, offsetOfEvent + BinlogConstants.SERVER_ID_OFFSET);
        return fromGtidEventBody(event, offsetOfEvent + BinlogConstants.LOG_EVENT_HEADER_LEN, serverId);
    }

    /** Orders by sequence number as unsigned 64-bit, ignoring domain and server. */
    public int compareSeqNo(MariaDbGtid other) {
        return Long.compareUnsigned(seqNo, other.seqNo);
    }

    @Override
    public String toString() {
        return domainId + "-" + serverId + "-" + Long.toUnsignedString(seqNo);
    }

    /** Decimal digits only: Long.parseUnsignedLong would accept a leading '+'. */
    private static long unsigned(String s, long max, String what, String context) {
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed " + what + " \"" + s + "\" in MariaDB GTID \"" + context + "\"");
        }
        long v;
        try {
            v = Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + s + "\" in MariaDB GTID \"" + context + "\" out of range");
        }
        if (Long.compareUnsigned(v, max) > 0) {
            throw new IllegalArgumentException(what + " \"" + s + "\" in MariaDB GTID \"" + context + "\" out of range 0.."
                    + Long.toUnsignedString(max));
        }
        return v;
    }
}
