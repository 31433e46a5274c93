package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;
import static io.binlogbridge.replayer.log.TermsIndexTest.UUID2;
import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlock;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsException;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsRequest;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SHOW BINLOG EVENTS over a two-term log: term 1's binlog.000001, then term 2's mysql-bin.000007 (presented as
 * binlog.000002) ending with a ROTATE to mysql-bin.000008 (binlog.000003). Every row names the presented file, and
 * the ROTATE is listed as a dump sends it: naming binlog.000003, its End_log_pos moved by the name's length.
 */
class BinlogEventsReaderTest {
    private final TestLogs logs = new TestLogs(Flavor.MYSQL);
    private final List<RecordBlock> blocks = new ArrayList<>();
    private BinlogEventsReader reader;
    private long at;
    private int serverId = 1;
    private String uuid = UUID;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
        blocks.forEach(RecordBlock::release);
    }

    private LogIndex twoTermLog() {
        header("binlog.000001");
        logs.termStart("binlog.000001", at, "");
        transaction("binlog.000001", 1);
        transaction("binlog.000001", 2);
        logs.term(2, UUID2);
        serverId = 2;
        uuid = UUID2;
        header("mysql-bin.000007");
        logs.termStart("mysql-bin.000007", at, UUID + ":1-2");
        at = 1000;
        transaction("mysql-bin.000007", 3);
        byte[] rotate = TestLogs.rotateEvent("mysql-bin.000008", at, true);
        logs.add(RecordKind.EVENTS, "mysql-bin.000007", at, at + rotate.length, null, null, rotate);
        at += rotate.length;
        header("mysql-bin.000008");
        transaction("mysql-bin.000008", 4);
        LogIndex index = logs.index();
        RecordBlock block = block(logs.records());
        blocks.add(block);
        reader = new BinlogEventsReader(index, offset -> offset < block.nextOffset() ? block.retain() : null);
        return index;
    }

    private List<List<String>> read(String file, long from, long skip, long limit) {
        return reader.events(new BinlogEventsRequest(file, from, skip, limit)).join();
    }

    @Test
    void aLaterTermsFileIsListedUnderItsPresentedNameWithTheRotateADumpSends() {
        twoTermLog();
        List<List<String>> rows = read("binlog.000002", 4, 0, -1);
        assertEquals(List.of("Format_desc", "Previous_gtids", "Gtid", "Query", "Xid", "Rotate"),
                rows.stream().map(r -> r.get(2)).toList());
        rows.forEach(r -> assertEquals("binlog.000002", r.get(0)));
        assertEquals(List.of("binlog.000002", "4", "Format_desc", "2", "134", "Server ver: 8.0.40, Binlog ver: 4"), rows.get(0));
        assertEquals(List.of("1000", "Gtid", "2"), rows.get(2).subList(1, 4), "positions stay the source's");
        assertEquals("SET @@SESSION.GTID_NEXT= '" + UUID2 + ":3'", rows.get(2).get(5));
        assertEquals("use `shop`; BEGIN", rows.get(3).get(5));
        assertEquals("COMMIT /* xid=3 */", rows.get(4).get(5));
        List<String> rotate = rows.get(5);
        long rotateAt = Long.parseLong(rotate.get(1));
        int sourceLength = TestLogs.rotateEvent("mysql-bin.000008", 0, true).length;
        assertEquals("binlog.000003;pos=4", rotate.get(5));
        assertEquals(Long.toString(rotateAt + sourceLength + "binlog.000003".length() - "mysql-bin.000008".length()), rotate.get(4));

        assertEquals(List.of("Format_desc", "Previous_gtids", "Gtid", "Query", "Xid"),
                read("binlog.000003", 4, 0, -1).stream().map(r -> r.get(2)).toList(), "the next term's file alone");
    }

    @Test
    void fromSkipAndLimitBoundTheListing() {
        twoTermLog();
        List<List<String>> all = read("binlog.000001", 4, 0, -1);
        assertEquals(2 + 3 * 2, all.size(), "header events and two transactions; TERM_START lists nothing");
        long third = Long.parseLong(all.get(2).get(1));
        assertEquals(all.subList(2, 8), read("binlog.000001", third, 0, -1));
        assertEquals(all.subList(3, 5), read("binlog.000001", third, 1, 2));
        assertEquals(all.subList(0, 1), read("binlog.000001", 0, 0, 1), "FROM below 4 starts at 4");
        assertEquals(List.of(), read("binlog.000001", 4, 0, 0));
        assertEquals(List.of(), read("binlog.000001", 1 << 20, 0, -1), "past the end of the file");

        // FROM inside the file's last event (an XID): MySQL reads a header there and finds the file ending first.
        long lastEvent = Long.parseLong(all.get(all.size() - 1).get(1));
        CompletionException e = assertThrows(CompletionException.class, () -> read("binlog.000001", lastEvent + LOG_EVENT_HEADER_LEN, 0, -1));
        assertEquals("binlog truncated in the middle of event; consider out of disk space",
                assertInstanceOf(BinlogEventsException.class, e.getCause()).getMessage());
        e = assertThrows(CompletionException.class, () -> read("binlog.000009", 4, 0, -1));
        assertEquals("Could not find target log", assertInstanceOf(BinlogEventsException.class, e.getCause()).getMessage());
    }

    private static RecordBlock block(List<BinlogRecord> records) {
        BinlogRecordCodec codec = new BinlogRecordCodec();
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            fetched.add(new ConsumerRecord<>("t", 0, i, null, ByteBuffer.wrap(codec.encodeValue(records.get(i)))));
        }
        return RecordBlock.copyOf(0, records.size(), fetched, codec, UnpooledByteBufAllocator.DEFAULT);
    }

    /** FORMAT_DESCRIPTION (MySQL 8.0.40, CRC32) and an empty PREVIOUS_GTIDS. */
    private void header(String file) {
        at = BIN_LOG_HEADER_SIZE;
        byte[] fde = new byte[2 + 50 + 4 + 1 + 49 + 1];
        LittleEndian.putUint16(fde, 0, 4);
        byte[] version = "8.0.40".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(version, 0, fde, 2, version.length);
        fde[56] = LOG_EVENT_HEADER_LEN;
        fde[fde.length - 1] = BINLOG_CHECKSUM_ALG_CRC32;
        byte[] events = concat(event(FORMAT_DESCRIPTION_EVENT, fde), event(PREVIOUS_GTIDS_LOG_EVENT, new byte[8]));
        logs.add(RecordKind.FILE_HEADER, file, BIN_LOG_HEADER_SIZE, at, null, "", events);
    }

    /** GTID, Query "BEGIN" in db shop, XID = n. */
    private void transaction(String file, int n) {
        long start = at;
        byte[] gtid = new byte[42];
        byte[] u = uuidBytes(uuid);
        System.arraycopy(u, 0, gtid, 1, 16);
        LittleEndian.putInt64(gtid, 17, n);
        byte[] db = "shop".getBytes(StandardCharsets.US_ASCII);
        byte[] q = "BEGIN".getBytes(StandardCharsets.US_ASCII);
        byte[] query = new byte[13 + db.length + 1 + q.length];
        query[8] = (byte) db.length;
        System.arraycopy(db, 0, query, 13, db.length);
        System.arraycopy(q, 0, query, 13 + db.length + 1, q.length);
        byte[] xid = new byte[8];
        LittleEndian.putInt64(xid, 0, n);
        byte[] events = concat(event(GTID_LOG_EVENT, gtid), event(QUERY_EVENT, query), event(XID_EVENT, xid));
        logs.add(RecordKind.TRANSACTION, file, start, at, uuid + ":" + n, null, events);
    }

    private static byte[] uuidBytes(String uuid) {
        String hex = uuid.replace("-", "");
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** One checksummed event at {@link #at}, written by the server id of the current term. */
    private byte[] event(int type, byte[] body) {
        byte[] e = TestLogs.checksummedEvent(type, body, serverId, at);
        at += e.length;
        return e;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
