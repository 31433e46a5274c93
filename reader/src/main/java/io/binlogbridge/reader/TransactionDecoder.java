package io.binlogbridge.reader;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a transaction's events, decides from each TABLE_MAP whether its table passes the filter, and decodes with
 * mysql-binlog-connector-java's {@link EventDeserializer} only what passes: a filtered table's TABLE_MAP and row
 * events are never decoded. The deserializer keeps the table maps it decoded, so row events decode against them
 * across events and transactions, as in a {@code BinaryLogClient}.
 */
final class TransactionDecoder {
    /** Table ids are 6 bytes in every binlog a 5.1+ server writes. */
    private static final int TABLE_ID_LENGTH = 6;

    private final EventDeserializer deserializer;
    private final TableFilter filter;
    private final boolean decode;
    /** Tables mapped in the current transaction whose row events are filtered out. */
    private final Set<Long> filteredTableIds = new HashSet<>();
    private ChecksumType checksum;

    /** What a transaction's events came to. */
    record Decoded(List<Event> events, boolean allRowsFiltered) {}

    TransactionDecoder(EventDeserializer deserializer, TableFilter filter, boolean decode) {
        this.deserializer = deserializer;
        this.filter = filter;
        this.decode = decode;
    }

    /**
     * The events of {@code bytes[off, off+len)}, a whole transaction whose events end with a checksum of
     * {@code checksumLength} bytes (per its file's FORMAT_DESCRIPTION). {@code where} names it in errors.
     */
    Decoded decode(byte[] bytes, int off, int len, ChecksumType checksumType, String where) {
        if (!decode && filter.filtersNothing()) {
            return new Decoded(List.of(), false);
        }
        if (checksumType != checksum) {
            deserializer.setChecksumType(checksumType);
            checksum = checksumType;
        }
        filteredTableIds.clear();
        List<Event> events = decode ? new ArrayList<>() : Collections.emptyList();
        int rowEvents = 0;
        int keptRowEvents = 0;
        int end = off + len;
        int p = off;
        while (p < end) {
            if (end - p < BinlogConstants.LOG_EVENT_HEADER_LEN) {
                throw new ReaderException(where + ": " + (end - p) + " bytes left, too few for an event header");
            }
            long size = EventHeader.eventSize(bytes, p);
            if (size < BinlogConstants.LOG_EVENT_HEADER_LEN || size > end - p) {
                throw new ReaderException(where + ": event at byte " + (p - off) + " claims " + size + " bytes, " + (end - p) + " left");
            }
            int type = EventHeader.type(bytes, p);
            boolean keep = true;
            if (type == BinlogConstants.TABLE_MAP_EVENT) {
                long tableId = tableId(bytes, p);
                if (!filter.includes(mappedSchema(bytes, p), mappedTable(bytes, p))) {
                    filteredTableIds.add(tableId);
                    keep = false;
                } else {
                    filteredTableIds.remove(tableId);
                }
            } else if (isRowEvent(type)) {
                rowEvents++;
                keep = !filteredTableIds.contains(tableId(bytes, p));
                if (keep) {
                    keptRowEvents++;
                }
            }
            if (keep && decode) {
                events.add(decodeOne(bytes, p, (int) size, where));
            }
            p += (int) size;
        }
        return new Decoded(events, rowEvents > 0 && keptRowEvents == 0);
    }

    private Event decodeOne(byte[] bytes, int at, int size, String where) {
        try {
            return deserializer.nextEvent(new ByteArrayInputStream(new SliceInputStream(bytes, at, size)));
        } catch (IOException | RuntimeException e) {
            throw new ReaderException(where + ": cannot decode the " + EventHeader.typeName(EventHeader.type(bytes, at)) + " event ending at "
                    + EventHeader.logPos(bytes, at) + ": " + e.getMessage(), e);
        }
    }

    static boolean isRowEvent(int type) {
        switch (type) {
            case BinlogConstants.WRITE_ROWS_EVENT_V1:
            case BinlogConstants.UPDATE_ROWS_EVENT_V1:
            case BinlogConstants.DELETE_ROWS_EVENT_V1:
            case BinlogConstants.WRITE_ROWS_EVENT:
            case BinlogConstants.UPDATE_ROWS_EVENT:
            case BinlogConstants.DELETE_ROWS_EVENT:
            case BinlogConstants.PARTIAL_UPDATE_ROWS_EVENT:
            case BinlogConstants.WRITE_ROWS_COMPRESSED_EVENT_V1:
            case BinlogConstants.UPDATE_ROWS_COMPRESSED_EVENT_V1:
            case BinlogConstants.DELETE_ROWS_COMPRESSED_EVENT_V1:
            case BinlogConstants.WRITE_ROWS_COMPRESSED_EVENT:
            case BinlogConstants.UPDATE_ROWS_COMPRESSED_EVENT:
            case BinlogConstants.DELETE_ROWS_COMPRESSED_EVENT:
                return true;
            default:
                return false;
        }
    }

    /** The table id TABLE_MAP and row events start their post-header with. */
    static long tableId(byte[] b, int event) {
        int at = event + BinlogConstants.LOG_EVENT_HEADER_LEN;
        return LittleEndian.uint32(b, at) | ((long) LittleEndian.uint16(b, at + 4) << 32);
    }

    /** TABLE_MAP body after table id and flags: schema length (1 byte), schema, NUL, table length, table, NUL. */
    private static int schemaLengthAt(int event) {
        return event + BinlogConstants.LOG_EVENT_HEADER_LEN + TABLE_ID_LENGTH + 2;
    }

    static String mappedSchema(byte[] b, int event) {
        int at = schemaLengthAt(event);
        return new String(b, at + 1, b[at] & 0xFF, StandardCharsets.UTF_8);
    }

    static String mappedTable(byte[] b, int event) {
        int schemaAt = schemaLengthAt(event);
        int at = schemaAt + 1 + (b[schemaAt] & 0xFF) + 1;
        return new String(b, at + 1, b[at] & 0xFF, StandardCharsets.UTF_8);
    }
}
