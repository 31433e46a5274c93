package io.binlogbridge.replayer.log;

import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32;
import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_CHECKSUM_ALG_OFF;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_ARTIFICIAL_F;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_HEADER_LEN;
import static io.binlogbridge.core.binlog.BinlogConstants.ROTATE_EVENT;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import java.nio.ByteBuffer;

/** Finds the real ROTATE event that ends a file in an EVENTS record, so the index (and the archiver) know what it names. */
public final class RotateEvents {
    private RotateEvents() {}

    /** The next file a real ROTATE in {@code record}'s events names; null when it holds none (or its events were not decoded). */
    static String target(BinlogRecord record) {
        ByteBuffer events = record.getEvents();
        if (events == null || !events.hasArray() || record.getChunk() != 0 || !record.getLastChunk()) {
            return null;
        }
        byte[] b = events.array();
        int start = events.arrayOffset() + events.position();
        int at = realRotate(b, start, start + events.remaining());
        return at < 0 ? null : RotateEvent.fileName(b, at, checksum(record));
    }

    /** Where the last real (not artificial) ROTATE among the whole events in {@code b[from, end)} starts; -1 if none. */
    public static int realRotate(byte[] b, int from, int end) {
        int at = from;
        int found = -1;
        while (end - at >= LOG_EVENT_HEADER_LEN) {
            long size = EventHeader.eventSize(b, at);
            if (size < LOG_EVENT_HEADER_LEN || size > end - at) {
                return found;
            }
            if (EventHeader.type(b, at) == ROTATE_EVENT && (EventHeader.flags(b, at) & LOG_EVENT_ARTIFICIAL_F) == 0) {
                found = at;
            }
            at += (int) size;
        }
        return found;
    }

    /** The record's checksum algorithm as the event decoders take it. */
    public static int checksum(BinlogRecord record) {
        return record.getChecksum() == ChecksumAlgorithm.CRC32 ? BINLOG_CHECKSUM_ALG_CRC32 : BINLOG_CHECKSUM_ALG_OFF;
    }
}
