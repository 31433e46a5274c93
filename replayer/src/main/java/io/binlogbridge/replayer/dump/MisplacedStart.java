package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.EVENT_LEN_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_HEADER_LEN;

import io.binlogbridge.core.binlog.LittleEndian;
import io.netty.buffer.ByteBuf;

/**
 * SHOW BINLOG EVENTS FROM a position inside an event: the server reads an event header there and fails on what it
 * finds. MariaDB says "Wrong offset or I/O error" whatever the bytes; MySQL 8.0 judges the length those bytes give
 * (Binlog_event_data_istream: too short, longer than the session's max_allowed_packet, past the end of the file),
 * and otherwise fails to decode the event. The bytes of the would-be header are collected here, across events.
 */
final class MisplacedStart {
    /** MySQL 8.0's default max_allowed_packet, the limit SHOW BINLOG EVENTS reads events with. */
    private static final long MAX_EVENT_SIZE = 64L << 20;

    private final long from;
    private final long fileSize;
    private final boolean mariaDb;
    private final byte[] header = new byte[LOG_EVENT_HEADER_LEN];
    private int collected;

    MisplacedStart(long from, long fileSize, boolean mariaDb) {
        this.from = from;
        this.fileSize = fileSize;
        this.mariaDb = mariaDb;
    }

    void take(ByteBuf source, int at, int length) {
        int n = Math.min(length, header.length - collected);
        source.getBytes(at, header, collected, n);
        collected += n;
    }

    boolean complete() {
        return collected == header.length;
    }

    /** The message after "Error when executing command SHOW BINLOG EVENTS: ". */
    String error() {
        if (mariaDb) {
            return "Wrong offset or I/O error";
        }
        if (!complete()) {
            return "binlog truncated in the middle of event; consider out of disk space";
        }
        long length = LittleEndian.uint32(header, EVENT_LEN_OFFSET);
        if (length < LOG_EVENT_HEADER_LEN) {
            return "corrupted data in log event";
        }
        if (length > MAX_EVENT_SIZE) {
            return "Event too big";
        }
        if (from + length > fileSize) {
            return "binlog truncated in the middle of event; consider out of disk space";
        }
        return "Found invalid event in binary log";
    }
}
