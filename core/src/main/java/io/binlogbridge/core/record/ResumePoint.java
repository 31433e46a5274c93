package io.binlogbridge.core.record;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import java.nio.ByteBuffer;

/**
 * Where a relay continues after the last record the log holds. The topic is the relay's only
 * checkpoint: this is computed from that record alone.
 *
 * @param file the file to continue in
 * @param position the position to continue at
 * @param afterStop the log ended with the source's STOP event: the source continued in the file after
 *     {@code file} in its index, at position 4
 */
public record ResumePoint(int term, String file, long position, boolean afterStop, String serverUuid, long serverId) {

    /** @throws IllegalStateException when the record cannot be the last committed one of a relay */
    public static ResumePoint after(BinlogRecord last) {
        if (!last.getLastChunk()) {
            throw new IllegalStateException("the topic's last committed record (" + last.getFile() + ":" + last.getStartPosition()
                    + " chunk " + last.getChunk() + ") does not complete its transaction: was it written by something other than binlog-bridge?");
        }
        ByteBuffer events = last.getEvents();
        int alg = last.getChecksum() == ChecksumAlgorithm.CRC32 ? BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32 : BinlogConstants.BINLOG_CHECKSUM_ALG_OFF;
        if (events.hasArray() && events.remaining() >= BinlogConstants.LOG_EVENT_HEADER_LEN) {
            byte[] b = events.array();
            int off = events.arrayOffset() + events.position();
            // The record's last event decides: find it by walking the event lengths.
            int end = off + events.remaining();
            int lastEvent = off;
            for (int p = off; p + BinlogConstants.LOG_EVENT_HEADER_LEN <= end; p += (int) EventHeader.eventSize(b, p)) {
                lastEvent = p;
                if (EventHeader.eventSize(b, p) < BinlogConstants.LOG_EVENT_HEADER_LEN) {
                    break;
                }
            }
            int type = EventHeader.type(b, lastEvent);
            if (type == BinlogConstants.ROTATE_EVENT) {
                return new ResumePoint(last.getTerm(), RotateEvent.fileName(b, lastEvent, alg), RotateEvent.position(b, lastEvent),
                        false, last.getServerUuid(), last.getServerId());
            }
            if (type == BinlogConstants.STOP_EVENT) {
                return new ResumePoint(last.getTerm(), last.getFile(), last.getEndPosition(), true, last.getServerUuid(), last.getServerId());
            }
        }
        return new ResumePoint(last.getTerm(), last.getFile(), last.getEndPosition(), false, last.getServerUuid(), last.getServerId());
    }

    @Override
    public String toString() {
        return file + ":" + position + (afterStop ? " (after STOP: next file)" : "");
    }
}
