package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.schemas.Flavor;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchivedStretch} against a recording {@link ArchivedStretch.Dump}: a directory archive holds binlog.000001
 * (GTIDs 1 and 2, the second with a 100 KB event, larger than the reused buffer) and binlog.000002 (GTID 3); the topic
 * holds binlog.000003 on. What the stretch hands the dump, and where it hands over to the topic, is the contract the dump
 * relies on.
 */
class ArchivedStretchTest {
    private static final UUID SID = UUID.fromString(TestLogs.UUID);

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    /** Every event the dump was given, whole, in order. */
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private boolean ending;

    private final ArchivedStretch.Dump dump = new ArchivedStretch.Dump() {
        @Override
        public boolean ending() {
            return ending;
        }

        @Override
        public void event(ByteBuf source, int length, long eventStart) {
            byte[] e = new byte[length];
            source.getBytes(0, e);
            sent.writeBytes(e);
            calls.add("event " + eventStart + " type " + e[EVENT_TYPE_OFFSET]);
        }

        @Override
        public void skipped(long end) {
            calls.add("skipped to " + end);
        }

        @Override
        public void newFile(FileManifest file, int checksumAlgorithm) {
            calls.add("new file " + file.name() + " checksum " + checksumAlgorithm);
        }

        @Override
        public void batched() {
            // the recording dump frames nothing
        }
    };

    @Test
    void sendsArchivedFilesInOrderLeavingOutWhatTheReplicaHasThenHandsOverToTheTopic() throws Exception {
        Archive a = new Archive();
        byte[] first = a.file("binlog.000002", 1, 2);
        byte[] second = a.file("binlog.000003", 3);
        ArchiveStorage storage = a.store(dir, first, second);
        LogIndex topic = topic();
        try (ArchivedStretch stretch = new ArchivedStretch(new ArchiveHistory(storage), topic,
                MySqlGtidSet.parse(TestLogs.UUID + ":1"), null, dump)) {
            stretch.open(a.manifests.get(0));
            assertEquals(FORMAT_DESCRIPTION_EVENT, stretch.formatDescription()[EVENT_TYPE_OFFSET]);
            assertEquals(BINLOG_CHECKSUM_ALG_CRC32, stretch.checksumAlgorithm());
            assertEquals(topic.file("binlog.000003").headerOffset(), stretch.send());
        }
        List<Long> s1 = a.starts.get(0);
        List<Long> s2 = a.starts.get(1);
        List<String> expected = new ArrayList<>(List.of(
                "event 4 type " + FORMAT_DESCRIPTION_EVENT,
                "event " + s1.get(1) + " type " + PREVIOUS_GTIDS_LOG_EVENT,
                "skipped to " + s1.get(5),
                "event " + s1.get(5) + " type " + GTID_LOG_EVENT,
                "event " + s1.get(6) + " type " + WRITE_ROWS_EVENT,
                "event " + s1.get(7) + " type " + XID_EVENT,
                "event " + s1.get(8) + " type " + ROTATE_EVENT,
                "new file binlog.000002 checksum " + BINLOG_CHECKSUM_ALG_CRC32));
        for (int i = 0; i < s2.size(); i++) {
            expected.add("event " + s2.get(i) + " type " + second[(int) (long) s2.get(i) + EVENT_TYPE_OFFSET]);
        }
        assertEquals(expected, calls);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(first, 4, (int) (s1.get(2) - 4));
        whole.write(first, (int) (long) s1.get(5), first.length - (int) (long) s1.get(5));
        whole.write(second, 4, second.length - 4);
        assertArrayEquals(whole.toByteArray(), sent.toByteArray(), "the events as archived, the large one included");
    }

    @Test
    void aFileEndingWithoutARotateGoesOnInTheNextNumberedFile() throws Exception {
        Archive a = new Archive();
        byte[] beforeRestart = a.file(null, 1);
        byte[] afterRestart = a.file("binlog.000003", 2);
        LogIndex topic = topic();
        ArchivedStretch stretch = new ArchivedStretch(new ArchiveHistory(a.store(dir, beforeRestart, afterRestart)), topic, null,
                null, dump);
        stretch.open(a.manifests.get(0));
        assertEquals(topic.file("binlog.000003").headerOffset(), stretch.send());
        assertEquals(1, calls.stream().filter(c -> c.startsWith("new file binlog.000002 ")).count(), calls.toString());
    }

    @Test
    void aFileEndingWithoutARotateWhoseNextNumberIsNowhereEndsTheStretchNamingBoth() throws Exception {
        Archive a = new Archive();
        byte[] noRotate = a.file(null, 1);
        ArchiveStorage storage = a.store(dir, noRotate);
        ArchivedStretch stretch = new ArchivedStretch(new ArchiveHistory(storage), topic(), null, null, dump);
        stretch.open(a.manifests.get(0));
        DumpRefusedException e = assertThrows(DumpRefusedException.class, stretch::send);
        assertEquals("binlog-bridge: the log continues in 'binlog.000002' after 'binlog.000001', which neither the topic nor the archive "
                + storage.describe() + " holds", e.getMessage());
    }

    @Test
    void aNextFileNeitherTheTopicNorTheArchiveHoldsEndsTheStretchNamingBoth() throws Exception {
        Archive a = new Archive();
        byte[] toNowhere = a.file("binlog.000009", 1);
        ArchiveStorage storage = a.store(dir, toNowhere);
        ArchivedStretch stretch = new ArchivedStretch(new ArchiveHistory(storage), topic(), null, null, dump);
        stretch.open(a.manifests.get(0));
        DumpRefusedException e = assertThrows(DumpRefusedException.class, stretch::send);
        assertEquals("binlog-bridge: the log continues in 'binlog.000009' after 'binlog.000001', which neither the topic nor the archive "
                + storage.describe() + " holds", e.getMessage());
    }

    @Test
    void aDumpThatEndsStopsBeforeTheNextEvent() throws Exception {
        Archive a = new Archive();
        byte[] file = a.file("binlog.000003", 1);
        ArchivedStretch stretch = new ArchivedStretch(new ArchiveHistory(a.store(dir, file)), topic(), null, null, dump);
        stretch.open(a.manifests.get(0));
        ending = true;
        assertEquals(-1, stretch.send());
        assertEquals(List.of(), calls);
    }

    private static LogIndex topic() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000003", 197, TestLogs.UUID + ":1-3")
                .transaction("binlog.000003", 197, 600, TestLogs.UUID + ":4")
                .index();
    }

    /** Archived files built here (binlog.000001, binlog.000002, … in the order made), with their manifests. */
    private static final class Archive {
        final List<FileManifest> manifests = new ArrayList<>();
        /** Per file, each event's start. */
        final List<List<Long>> starts = new ArrayList<>();
        private long at;
        private List<Long> current;

        /** A file with a transaction per GNO (the second one with a 100 KB row event), ending in a ROTATE to {@code next}. */
        byte[] file(String next, long... gnos) throws Exception {
            String name = "binlog.00000" + (manifests.size() + 1);
            current = new ArrayList<>();
            starts.add(current);
            at = BIN_LOG_HEADER_SIZE;
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
            for (int i = 0; i < gnos.length; i++) {
                byte[] gtid = new byte[1 + 16 + 8 + 1 + 16];
                // the UUID is big-endian in the event
                for (int b = 0; b < 8; b++) {
                    gtid[1 + b] = (byte) (SID.getMostSignificantBits() >>> (56 - 8 * b));
                    gtid[9 + b] = (byte) (SID.getLeastSignificantBits() >>> (56 - 8 * b));
                }
                LittleEndian.putInt64(gtid, 17, gnos[i]);
                out.writeBytes(event(GTID_LOG_EVENT, gtid));
                byte[] rows = new byte[i == 1 ? 100_000 : 40];
                Arrays.fill(rows, (byte) ('a' + i));
                out.writeBytes(event(WRITE_ROWS_EVENT, rows));
                out.writeBytes(event(XID_EVENT, new byte[8]));
            }
            if (next != null) {
                current.add(at);
                out.writeBytes(TestLogs.rotateEvent(next, at, true));
            }
            byte[] file = out.toByteArray();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
            manifests.add(new FileManifest(name, name, 1, "MYSQL", TestLogs.UUID, 1, file.length, sha, "", "", null, null,
                    0, 0, 0, null, null, null, null));
            return file;
        }

        ArchiveStorage store(Path dir, byte[]... files) throws Exception {
            ArchiveStorage storage = ArchiveStorage.open(dir.toString(), null, 8 << 20);
            for (int i = 0; i < files.length; i++) {
                storage.write(manifests.get(i).name(), files[i]);
            }
            storage.write("index.json", new ObjectMapper().writeValueAsBytes(Map.of("version", 1, "files", manifests)));
            return storage;
        }

        private byte[] event(int type, byte[] body) {
            current.add(at);
            byte[] e = TestLogs.checksummedEvent(type, body, 1, at);
            at += e.length;
            return e;
        }
    }
}
