package io.binlogbridge.core.gtid;

import io.binlogbridge.core.binlog.LittleEndian;

import io.binlogbridge.core.binlog.BinlogConstants;
import java.util.Objects;
import java.util.UUID;

/**
 * One MySQL GTID, {@code uuid:gno}. The transaction number is 1 ..
 * {@link #MAX_GNO}: MySQL reserves 0 for anonymous transactions and Long.MAX_VALUE as the exclusive end
 * of the last possible interval.
 */
public record MySqlGtid(UUID uuid, long gno) {

    /** Largest transaction number MySQL hands out (GNO_END - 1). */
    public static final long MAX_GNO = Long.MAX_VALUE - 1;

    /** Length of a UUID in MySQL's text form. */
    static final int UUID_TEXT_LENGTH = 36;

    public MySqlGtid {
        Objects.requireNonNull(uuid, "uuid");
        checkGno(gno);
    }

    /** Parses {@code uuid:n}; surrounding whitespace is ignored. */
    public static MySqlGtid parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("malformed GTID \"" + text + "\": expected uuid:number");
        }
        UUID uuid = parseUuid(s.substring(0, colon).strip(), text);
        String n = s.substring(colon + 1).strip();
        long gno = parseGno(n, text);
        return new MySqlGtid(uuid, gno);
    }

    /**
     * Reads the GTID of a GTID_LOG_EVENT (type 33) from its body: flags(1) sid(16) gno(8 LE).
     * ANONYMOUS_GTID_LOG_EVENT shares the layout but carries gno 0, which is rejected here because it
     * names no transaction; GTID_TAGGED_LOG_EVENT (MySQL 8.4) has another serialization and is not read.
     *
     * @param event        buffer holding the event
     * @param offsetOfBody index of the first body byte, i.e. the event start + 19
     */
    public static MySqlGtid fromGtidEventBody(byte[] event, int offsetOfBody) {
        GtidBytes.require(event, offsetOfBody, 1 + 16 + 8, "GTID_LOG_EVENT body");
        UUID sid = GtidBytes.uuid(event, offsetOfBody + 1);
        long gno = LittleEndian.int64(event, offsetOfBody + 17);
        if (gno <= 0) {
            throw new IllegalArgumentException("GTID_LOG_EVENT carries gno " + gno
                    + " (anonymous transaction or corrupt event), not a GTID");
        }
        return new MySqlGtid(sid, gno);
    }

    /** Like {@link #fromGtidEventBody} but given the start of the event (its common header). */
    public static MySqlGtid fromGtidEvent(byte[] event, int offsetOfEvent) {
        return fromGtidEventBody(event, offsetOfEvent + BinlogConstants.LOG_EVENT_HEADER_LEN);
    }

    @Override
    public String toString() {
        return uuid + ":" + gno;
    }

    static void checkGno(long gno) {
        if (gno < 1 || gno > MAX_GNO) {
            throw new IllegalArgumentException("GTID number " + gno + " out of range 1.." + MAX_GNO);
        }
    }

    /**
     * MySQL's text parser takes exactly 8-4-4-4-12 hex digits; {@link UUID#fromString} is laxer (it
     * accepts short groups), which would let through sets MySQL itself rejects.
     */
    static UUID parseUuid(String s, String context) {
        if (s.length() != UUID_TEXT_LENGTH) {
            throw badUuid(s, context);
        }
        long msb = 0;
        long lsb = 0;
        int digits = 0;
        for (int i = 0; i < UUID_TEXT_LENGTH; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    throw badUuid(s, context);
                }
                continue;
            }
            int d = Character.digit(c, 16);
            if (d < 0 || c > 0x7F) {
                throw badUuid(s, context);
            }
            if (digits < 16) {
                msb = msb << 4 | d;
            } else {
                lsb = lsb << 4 | d;
            }
            digits++;
        }
        return new UUID(msb, lsb);
    }

    private static IllegalArgumentException badUuid(String s, String context) {
        return new IllegalArgumentException("malformed UUID \"" + s + "\" in GTID \"" + context
                + "\": expected 8-4-4-4-12 hex digits");
    }

    /** Decimal only: MySQL's strtoll would also take hex and octal, which nobody writes on purpose. */
    static long parseGno(String s, String context) {
        if (s.isEmpty() || s.length() > 19) {
            throw badGno(s, context);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw badGno(s, context);
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                throw badGno(s, context);
            }
        }
        if (v < 1 || v > MAX_GNO) {
            throw new IllegalArgumentException("GTID number \"" + s + "\" in \"" + context
                    + "\" out of range 1.." + MAX_GNO);
        }
        return v;
    }

    private static IllegalArgumentException badGno(String s, String context) {
        return new IllegalArgumentException("malformed GTID number \"" + s + "\" in \"" + context + "\"");
    }
}
