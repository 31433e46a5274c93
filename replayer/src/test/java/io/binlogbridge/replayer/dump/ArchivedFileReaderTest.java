package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.TestLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchivedFileReader} and {@link ResumingStream} over an archived file built here: magic, FORMAT_DESCRIPTION
 * (CRC32), PREVIOUS_GTIDS, a 100 KB event, a small one, the ROTATE; its manifest's size and SHA-256 from its bytes.
 */
class ArchivedFileReaderTest {
    private static final int REUSE = DumpPackets.COPY_LIMIT;

    private long at = BIN_LOG_HEADER_SIZE;
    private final List<Long> starts = new ArrayList<>();
    private final byte[] file = file();

    @Test
    void handsOutEveryEventCheckedWithItsPosition() throws Exception {
        byte[] buffer = new byte[REUSE];
        try (ArchivedFileReader r = reader(new ByteArrayInputStream(file), manifest(file), buffer)) {
            List<Long> seen = new ArrayList<>();
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.write(file, 0, 4);
            while (r.next()) {
                seen.add(r.eventStart());
                copy.write(r.event(), 0, r.length());
                if (r.length() <= REUSE) {
                    assertSame(buffer, r.event(), "a small event goes to the reused buffer");
                } else {
                    assertNotSame(buffer, r.event(), "a large event has an array of its own");
                }
            }
            assertEquals(starts, seen);
            assertEquals(BINLOG_CHECKSUM_ALG_CRC32, r.checksumAlgorithm());
            assertArrayEquals(file, copy.toByteArray());
            assertFalse(r.next());
        }
    }

    @Test
    void aFlippedByteStopsAtTheDamagedEventNamingTheFile() throws Exception {
        byte[] damaged = file.clone();
        long bad = starts.get(3);
        damaged[(int) bad + 30] ^= 1;
        try (ArchivedFileReader r = reader(new ByteArrayInputStream(damaged), manifest(file), new byte[REUSE])) {
            assertTrue(r.next());
            assertTrue(r.next());
            assertTrue(r.next());
            DumpRefusedException e = assertThrows(DumpRefusedException.class, r::next);
            assertEquals("binlog-bridge: archived binlog file 'binlog.000007' (/archive/binlog.000007) is damaged: the event at position "
                    + bad + " has a wrong CRC32 checksum; nothing after its last good event was sent", e.getMessage());
            assertEquals(1236, e.errorCode());
        }
    }

    @Test
    void theLastEventWaitsForTheFilesSizeAndDigest() throws Exception {
        FileManifest good = manifest(file);
        FileManifest otherDigest = new FileManifest(good.name(), good.sourceName(), 1, "MYSQL", TestLogs.UUID, 1, good.size(),
                "00".repeat(32), "", "", null, null, 0, 0, 0, null, null, null, null);
        try (ArchivedFileReader r = reader(new ByteArrayInputStream(file), otherDigest, new byte[REUSE])) {
            for (int i = 0; i < starts.size() - 1; i++) {
                assertTrue(r.next());
            }
            DumpRefusedException e = assertThrows(DumpRefusedException.class, r::next);
            assertTrue(e.getMessage().contains("is damaged: its SHA-256 is " + good.sha256() + ", its manifest says " + "00".repeat(32)),
                    e.getMessage());
        }
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> readAll(new ByteArrayInputStream(longer), good));
        assertTrue(e.getMessage().endsWith("is damaged: it is longer than the " + file.length + " bytes its manifest gives; nothing after"
                + " its last good event was sent"), e.getMessage());
        byte[] shorter = Arrays.copyOf(file, (int) (starts.get(2) + 100));
        e = assertThrows(DumpRefusedException.class, () -> readAll(new ByteArrayInputStream(shorter), good));
        assertTrue(e.getMessage().contains("is damaged: it ends inside the event at position " + starts.get(2)), e.getMessage());
        byte[] notBinlog = file.clone();
        notBinlog[0] = 'x';
        e = assertThrows(DumpRefusedException.class, () -> readAll(new ByteArrayInputStream(notBinlog), good));
        assertTrue(e.getMessage().contains("it does not begin with the binlog magic number"), e.getMessage());
    }

    @Test
    void aDroppedConnectionResumesAtTheOffsetReached() throws Exception {
        // Every connection breaks after 7000 bytes; each new one is asked for the rest only.
        List<Long> opened = new ArrayList<>();
        ResumingStream in = new ResumingStream(offset -> {
            opened.add(offset);
            return new BreakingStream(Arrays.copyOfRange(file, (int) offset, file.length), 7000);
        }, 0, "s3://bucket/binlog.000007");
        byte[] buffer = new byte[REUSE];
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(file, 0, 4);
        try (ArchivedFileReader r = reader(in, manifest(file), buffer)) {
            while (r.next()) {
                copy.write(r.event(), 0, r.length());
            }
        }
        assertArrayEquals(file, copy.toByteArray());
        List<Long> expected = new ArrayList<>();
        for (long o = 0; o < file.length; o += 7000) {
            expected.add(o);
        }
        assertEquals(expected, opened);
    }

    @Test
    void aStoreThatKeepsFailingGivesUpAfterAFewAttempts() {
        int[] calls = new int[1];
        ResumingStream in = new ResumingStream(offset -> {
            calls[0]++;
            throw new IOException("Connection refused");
        }, 0, "s3://bucket/binlog.000007");
        IOException e = assertThrows(IOException.class, () -> in.read(new byte[10], 0, 10));
        assertEquals(ResumingStream.ATTEMPTS, calls[0]);
        assertEquals("reading s3://bucket/binlog.000007 at byte 0 failed 4 times: Connection refused", e.getMessage());
    }

    private void readAll(InputStream in, FileManifest m) throws Exception {
        try (ArchivedFileReader r = reader(in, m, new byte[REUSE])) {
            while (r.next()) {
                // read to the end
            }
        }
    }

    private static ArchivedFileReader reader(InputStream in, FileManifest m, byte[] buffer) throws Exception {
        return new ArchivedFileReader(in, m, "/archive/" + m.name(), buffer);
    }

    static FileManifest manifest(byte[] file) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        return new FileManifest("binlog.000007", "binlog.000007", 1, "MYSQL", TestLogs.UUID, 1, file.length, sha, "", "", null, null,
                0, 0, 0, null, null, null, null);
    }

    private byte[] file() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BINLOG_MAGIC);
        byte[] fde = new byte[2 + 50 + 4 + 1 + 49 + 1];
        LittleEndian.putUint16(fde, 0, 4);
        byte[] version = "8.0.40".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(version, 0, fde, 2, version.length);
        fde[56] = LOG_EVENT_HEADER_LEN;
        fde[fde.length - 1] = BINLOG_CHECKSUM_ALG_CRC32;
        out.writeBytes(event(FORMAT_DESCRIPTION_EVENT, fde));
        out.writeBytes(event(PREVIOUS_GTIDS_LOG_EVENT, new byte[8]));
        byte[] large = new byte[100_000];
        Arrays.fill(large, (byte) 'r');
        out.writeBytes(event(WRITE_ROWS_EVENT, large));
        out.writeBytes(event(XID_EVENT, new byte[8]));
        starts.add(at);
        byte[] rotate = TestLogs.rotateEvent("binlog.000008", at, true);
        out.writeBytes(rotate);
        return out.toByteArray();
    }

    private byte[] event(int type, byte[] body) {
        starts.add(at);
        byte[] e = TestLogs.checksummedEvent(type, body, 1, at);
        at += e.length;
        return e;
    }

    /** Gives at most {@code limit} bytes, then fails as a dropped connection does. */
    private static final class BreakingStream extends InputStream {
        private final ByteArrayInputStream in;
        private int left;

        BreakingStream(byte[] bytes, int limit) {
            this.in = new ByteArrayInputStream(bytes);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0 && in.available() > 0) {
                throw new IOException("Connection reset");
            }
            int n = in.read(b, off, Math.min(len, Math.max(left, 1)));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
