package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.LittleEndian;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Filtering from the TABLE_MAP's bytes, before anything is decoded; framing errors; decoding with checksums. */
class TransactionDecoderTest {

    private static byte[] event(int type, byte[] body, boolean crc) {
        int size = BinlogConstants.LOG_EVENT_HEADER_LEN + body.length + (crc ? 4 : 0);
        byte[] e = new byte[size];
        LittleEndian.putUint32(e, 0, 1_700_000_000L);
        e[BinlogConstants.EVENT_TYPE_OFFSET] = (byte) type;
        LittleEndian.putUint32(e, BinlogConstants.SERVER_ID_OFFSET, 1);
        LittleEndian.putUint32(e, BinlogConstants.EVENT_LEN_OFFSET, size);
        System.arraycopy(body, 0, e, BinlogConstants.LOG_EVENT_HEADER_LEN, body.length);
        return e;
    }

    /** A TABLE_MAP of schema.table (id {@code tableId}) with one INT column. */
    private static byte[] tableMap(long tableId, String schema, String table, boolean crc) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            b.write((int) (tableId >>> (8 * i)));
        }
        b.write(0);
        b.write(0);
        b.write(schema.length());
        b.writeBytes(schema.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.write(table.length());
        b.writeBytes(table.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.write(1); // column count
        b.write(3); // MYSQL_TYPE_LONG
        b.write(0); // metadata length
        b.write(1); // null bitmap
        return event(BinlogConstants.TABLE_MAP_EVENT, b.toByteArray(), crc);
    }

    /** A WRITE_ROWS (v2) event's leading bytes: only its table id is read before deciding. */
    private static byte[] writeRows(long tableId, boolean crc) {
        byte[] body = new byte[12];
        for (int i = 0; i < 6; i++) {
            body[i] = (byte) (tableId >>> (8 * i));
        }
        return event(BinlogConstants.WRITE_ROWS_EVENT, body, crc);
    }

    private static byte[] xid(boolean crc) {
        return event(BinlogConstants.XID_EVENT, new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, crc);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static TransactionDecoder decoder(boolean decode, String... include) {
        return new TransactionDecoder(new EventDeserializer(), new TableFilter(List.of(include).stream().map(Pattern::compile).toList(), List.of()),
                decode);
    }

    @Test
    void aTransactionWhoseRowsAreAllFilteredIsSaidSo() {
        byte[] tx = concat(tableMap(70, "shop", "audit", false), writeRows(70, false), xid(false));
        assertTrue(decoder(false, "shop\\.orders").decode(tx, 0, tx.length, ChecksumType.NONE, "t").allRowsFiltered());
        assertFalse(decoder(false, "shop\\..*").decode(tx, 0, tx.length, ChecksumType.NONE, "t").allRowsFiltered());
        byte[] noRows = xid(false);
        assertFalse(decoder(false, "shop\\.orders").decode(noRows, 0, noRows.length, ChecksumType.NONE, "t").allRowsFiltered(),
                "a transaction without row events is never filtered");
    }

    @Test
    void aFilteredTablesEventsAreNotDecoded() {
        // The row event's body is not a valid WRITE_ROWS: decoding it would fail, so passing shows it was skipped.
        byte[] tx = concat(tableMap(70, "shop", "audit", true), writeRows(70, true), tableMap(71, "shop", "orders", true), xid(true));
        TransactionDecoder.Decoded d = decoder(true, "shop\\.orders").decode(tx, 0, tx.length, ChecksumType.CRC32, "t");
        assertTrue(d.allRowsFiltered(), "its one row event is of a filtered table");
        assertEquals(List.of(EventType.TABLE_MAP, EventType.XID), d.events().stream().map(e -> e.getHeader().getEventType()).toList());
        assertEquals("orders", ((TableMapEventData) d.events().get(0).getData()).getTable());
        assertEquals(42, ((XidEventData) d.events().get(1).getData()).getXid(), "the CRC32 trailer stripped, not read as data");
    }

    @Test
    void anEventRunningPastTheTransactionIsAnError() {
        byte[] tx = xid(false);
        assertThrows(ReaderException.class, () -> decoder(true).decode(tx, 0, tx.length - 1, ChecksumType.NONE, "t"));
    }
}
