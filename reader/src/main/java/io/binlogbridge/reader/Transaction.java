package io.binlogbridge.reader;

import com.github.shyiko.mysql.binlog.event.Event;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * One transaction of the log (GTID … XID/COMMIT, or one DDL), as the source wrote it.
 *
 * @param gtid {@code uuid:n} (MySQL) or {@code domain-server-seq} (MariaDB); null when the source had no GTIDs
 * @param flavor {@code MYSQL} or {@code MARIADB}
 * @param term the stretch of the log (one source) it belongs to
 * @param file the binlog file it is in, as the replayer presents it (a later term's files continue the first
 *     term's names); usable in {@link StartPosition#filePosition}
 * @param sourceFile that file's name on the source that wrote it
 * @param startPosition the file position of its first byte
 * @param endPosition the file position just after its last byte
 * @param timestamp the header timestamp of its first event (the source's clock, whole seconds)
 * @param offset the topic offset of its first record
 * @param rawEvents its events exactly as stored (header, body, checksum), read-only; a view of the record the
 *     consumer fetched when the transaction fits one record, else one array holding its chunks
 * @param events its events decoded by mysql-binlog-connector-java, in order, without the row events (and their
 *     TABLE_MAPs) of tables the filter excludes; empty when decoding is off
 */
public record Transaction(String gtid, String flavor, int term, String file, String sourceFile, long startPosition,
        long endPosition, Instant timestamp, long offset, ByteBuffer rawEvents, List<Event> events) {

    /** Event bytes: {@code endPosition - startPosition}. */
    public int size() {
        return rawEvents.remaining();
    }

    @Override
    public ByteBuffer rawEvents() {
        return rawEvents.duplicate();
    }

    @Override
    public String toString() {
        return "Transaction[" + (gtid == null ? "" : gtid + " ") + file + ":" + startPosition + "-" + endPosition + ", term " + term
                + ", " + events.size() + " events]";
    }
}
