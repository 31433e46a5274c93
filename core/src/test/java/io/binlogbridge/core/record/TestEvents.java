package io.binlogbridge.core.record;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.LittleEndian;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds well-formed binlog events (CRC32 checksummed) for unit tests, tracking file positions. */
final class TestEvents {
    static final long SERVER_ID = 7;
    long position = 4;
    final ByteArrayOutputStream file = new ByteArrayOutputStream();

    TestEvents() {
        file.write(BINLOG_MAGIC, 0, 4);
    }

    byte[] event(int type, byte[] body) {
        return event(type, body, 0, false);
    }

    byte[] event(int type, byte[] body, int flags, boolean artificial) {
        int size = LOG_EVENT_HEADER_LEN + body.length + BINLOG_CHECKSUM_LEN;
        byte[] e = new byte[size];
        LittleEndian.putUint32(e, 0, 1_700_000_000L);
        e[EVENT_TYPE_OFFSET] = (byte) type;
        LittleEndian.putUint32(e, SERVER_ID_OFFSET, SERVER_ID);
        LittleEndian.putUint32(e, EVENT_LEN_OFFSET, size);
        LittleEndian.putUint32(e, LOG_POS_OFFSET, artificial ? 0 : position + size);
        LittleEndian.putUint16(e, FLAGS_OFFSET, flags | (artificial ? LOG_EVENT_ARTIFICIAL_F : 0));
        System.arraycopy(body, 0, e, LOG_EVENT_HEADER_LEN, body.length);
        ChecksumAlgorithms.recompute(e, 0, size);
        if (!artificial) {
            position += size;
            file.write(e, 0, size);
        }
        return e;
    }

    byte[] formatDescription() {
        return formatDescription(false);
    }

    byte[] formatDescription(boolean artificial) {
        byte[] body = new byte[2 + 50 + 4 + 1 + 40 + 1];
        LittleEndian.putUint16(body, 0, 4);
        byte[] version = "8.0.15-log".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(version, 0, body, 2, version.length);
        body[56] = LOG_EVENT_HEADER_LEN;
        body[body.length - 1] = BINLOG_CHECKSUM_ALG_CRC32;
        return event(FORMAT_DESCRIPTION_EVENT, body, 0, artificial);
    }

    byte[] previousGtids() {
        byte[] body = new byte[8];
        return event(PREVIOUS_GTIDS_LOG_EVENT, body);
    }

    byte[] fakeRotate(String name, long pos) {
        return event(ROTATE_EVENT, rotateBody(name, pos), 0, true);
    }

    byte[] rotate(String name) {
        return event(ROTATE_EVENT, rotateBody(name, 4));
    }

    private static byte[] rotateBody(String name, long pos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[8 + n.length];
        LittleEndian.putInt64(body, 0, pos);
        System.arraycopy(n, 0, body, 8, n.length);
        return body;
    }

    byte[] gtid(long gno) {
        byte[] body = new byte[1 + 16 + 8 + 1 + 16];
        for (int i = 0; i < 16; i++) {
            body[1 + i] = (byte) (0x10 + i);
        }
        LittleEndian.putInt64(body, 17, gno);
        return event(GTID_LOG_EVENT, body);
    }

    byte[] query(String sql) {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        byte[] db = "test".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[13 + db.length + 1 + q.length];
        body[8] = (byte) db.length;
        System.arraycopy(db, 0, body, 13, db.length);
        System.arraycopy(q, 0, body, 13 + db.length + 1, q.length);
        return event(QUERY_EVENT, body);
    }

    byte[] rows(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * 31);
        }
        return event(WRITE_ROWS_EVENT, body);
    }

    byte[] xid() {
        return event(XID_EVENT, new byte[8]);
    }

    byte[] heartbeat() {
        return event(HEARTBEAT_LOG_EVENT, "binlog.000001".getBytes(StandardCharsets.UTF_8), 0, true);
    }
}
