package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;
import static io.binlogbridge.replayer.log.TermsIndexTest.UUID2;
import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlock;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.server.wire.FramedPackets;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The byte stream of a dump over a two-term log: term 1's binlog.000001 (its source died, no ROTATE), then term 2's
 * mysql-bin.000007 (skipped positions before 1000: transactions term 1 holds) ending with a ROTATE to
 * mysql-bin.000008. A client must see binlog.000001, binlog.000002, binlog.000003, one continuous log.
 */
class TermsStreamingTest {
    private static final long HEARTBEAT_NANOS = 1_000_000;
    private static final DumpSettings SETTINGS = new DumpSettings(HEARTBEAT_NANOS, "CRC32", null, null, null, false, false, false);

    private final TestLogs logs = new TestLogs(Flavor.MYSQL);
    private final List<byte[]> stored = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private RecordBlockCache cache;
    private long at;
    private long rotateAt;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
        channel.finishAndReleaseAll();
    }

    private LogIndex twoTermLog() {
        header("binlog.000001", "");
        logs.termStart("binlog.000001", at, "");
        transaction("binlog.000001", UUID + ":1");
        transaction("binlog.000001", UUID + ":2");
        logs.term(2, UUID2);
        header("mysql-bin.000007", UUID + ":1");
        logs.termStart("mysql-bin.000007", at, UUID + ":1-2");
        at = 1000;
        transaction("mysql-bin.000007", UUID2 + ":1");
        rotateAt = at;
        byte[] rotate = TestLogs.rotateEvent("mysql-bin.000008", at, true);
        logs.add(RecordKind.EVENTS, "mysql-bin.000007", at, at + rotate.length, null, null, rotate);
        stored.add(rotate);
        header("mysql-bin.000008", UUID + ":1-2," + UUID2 + ":1");
        transaction("mysql-bin.000008", UUID2 + ":2");
        return logs.index();
    }

    @Test
    void aDumpFromTheFirstFileReadsOneLogWithPresentedNames() throws Exception {
        LogIndex index = twoTermLog();
        long serverId = index.identity().serverId();
        List<byte[]> sent = dump(index, "binlog.000001", 4);

        List<byte[]> expected = new ArrayList<>();
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000001", 4, true));
        expected.addAll(stored.subList(0, 8)); // header (2), two transactions (3 each)
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000002", 4, true));
        expected.addAll(stored.subList(8, 13)); // header, transaction
        byte[] renamed = TestLogs.rotateEvent("binlog.000003", rotateAt, true);
        expected.add(renamed);
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000003", 4, true));
        expected.addAll(stored.subList(14, 19));
        long end = index.size(index.file("binlog.000003"));
        expected.add(ArtificialEvents.heartbeat(serverId, "binlog.000003", end, true));
        assertEvents(expected, sent);
        assertTrue(ChecksumAlgorithms.verify(renamed, 0, renamed.length));
        assertEquals(index.presentedSize(index.file("binlog.000002")), rotateAt + renamed.length,
                "SHOW BINARY LOGS gives the size the dump sends");
    }

    @Test
    void aDumpFromTheMiddleOfALaterTermsFileStartsAtItsSourcePosition() throws Exception {
        LogIndex index = twoTermLog();
        long serverId = index.identity().serverId();
        List<byte[]> sent = dump(index, "binlog.000002", 1000);

        assertArrayEquals(ArtificialEvents.fakeRotate(serverId, "binlog.000002", 1000, true), sent.get(0));
        assertEquals(FORMAT_DESCRIPTION_EVENT, EventHeader.type(sent.get(1), 0));
        assertEquals(0, EventHeader.logPos(sent.get(1), 0), "a re-sent FORMAT_DESCRIPTION does not move the replica");
        List<byte[]> rest = sent.subList(2, sent.size());
        List<byte[]> expected = new ArrayList<>(stored.subList(10, 13));
        expected.add(TestLogs.rotateEvent("binlog.000003", rotateAt, true));
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000003", 4, true));
        expected.addAll(stored.subList(14, 19));
        expected.add(ArtificialEvents.heartbeat(serverId, "binlog.000003", index.size(index.file("binlog.000003")), true));
        assertEvents(expected, rest);
    }

    @Test
    void aGtidDumpSkipsWhatTheReplicaHasInEveryTermAndSaysSoWithPresentedNames() throws Exception {
        LogIndex index = twoTermLog();
        long serverId = index.identity().serverId();
        // It has UUID:1 and UUID2:1, not UUID:2: the planner starts at binlog.000001 (binlog.000002 starts with UUID:1-2).
        byte[] set = MySqlGtidSet.parse(UUID + ":1," + UUID2 + ":1").encode();
        List<byte[]> sent = dump(index, new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, "", 4, 5,
                MySqlConstants.BINLOG_THROUGH_GTID | MySqlConstants.BINLOG_DUMP_NON_BLOCK, set, SETTINGS));

        List<byte[]> expected = new ArrayList<>();
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000001", 4, true));
        expected.addAll(stored.subList(0, 2));
        expected.add(ArtificialEvents.heartbeat(serverId, "binlog.000001", EventHeader.logPos(stored.get(4), 0), true));
        expected.addAll(stored.subList(5, 8));
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000002", 4, true));
        expected.addAll(stored.subList(8, 10));
        expected.add(ArtificialEvents.heartbeat(serverId, "binlog.000002", rotateAt, true));
        expected.add(TestLogs.rotateEvent("binlog.000003", rotateAt, true));
        expected.add(ArtificialEvents.fakeRotate(serverId, "binlog.000003", 4, true));
        expected.addAll(stored.subList(14, 19));
        expected.add(ArtificialEvents.heartbeat(serverId, "binlog.000003", index.size(index.file("binlog.000003")), true));
        assertEvents(expected, sent);
    }

    private static void assertEvents(List<byte[]> expected, List<byte[]> sent) {
        List<String> want = expected.stream().map(TermsStreamingTest::describe).toList();
        List<String> got = sent.stream().map(TermsStreamingTest::describe).toList();
        assertEquals(want, got);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), sent.get(i), "event " + i + ": " + want.get(i));
        }
    }

    private static String describe(byte[] e) {
        int type = EventHeader.type(e, 0);
        String s = EventHeader.typeName(type) + "@" + EventHeader.logPos(e, 0);
        if (type == ROTATE_EVENT) {
            s += " " + new String(e, LOG_EVENT_HEADER_LEN + 8, e.length - LOG_EVENT_HEADER_LEN - 8 - BINLOG_CHECKSUM_LEN,
                    StandardCharsets.UTF_8);
        }
        return s;
    }

    private List<byte[]> dump(LogIndex index, String file, long position) throws Exception {
        return dump(index, new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, 5, MySqlConstants.BINLOG_DUMP_NON_BLOCK,
                null, SETTINGS));
    }

    /** Runs a non-blocking dump over the log's records (one block) and returns the events sent, up to the EOF. */
    private List<byte[]> dump(LogIndex index, DumpRequest request) throws Exception {
        RecordBlock block = block(logs.records());
        cache = new RecordBlockCache(null, index, 1 << 20, 1 << 20, 1, 1, UnpooledByteBufAllocator.DEFAULT);
        int[] calls = {0};
        DumpStreamer streamer = new DumpStreamer(channel, new Session(1, "test"), request, index, null, cache,
                new LiveTail(1 << 20, 16, UnpooledByteBufAllocator.DEFAULT),
                new DumpPlanner(index), new Object(), 1) {
            @Override
            RecordBlock nextBlock(long offset) throws InterruptedException {
                if (calls[0]++ == 0) {
                    return block;
                }
                Thread.sleep(5); // the log is idle: a heartbeat is due
                return null;
            }

            @Override
            boolean caughtUp(long offset) {
                return calls[0] > 2;
            }
        };
        streamer.run();
        channel.runPendingTasks();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ByteBuf b = ((FramedPackets) m).content();
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            wire.writeBytes(bytes);
            ((FramedPackets) m).release();
        }
        byte[] w = wire.toByteArray();
        List<byte[]> events = new ArrayList<>();
        int p = 0;
        while (p < w.length) {
            int length = (w[p] & 0xFF) | (w[p + 1] & 0xFF) << 8 | (w[p + 2] & 0xFF) << 16;
            byte[] payload = Arrays.copyOfRange(w, p + 4, p + 4 + length);
            p += 4 + length;
            if ((payload[0] & 0xFF) == 0xFE) {
                assertEquals(w.length, p, "EOF ends the dump");
                return events;
            }
            assertEquals(0, payload[0], "an event packet: " + Arrays.toString(payload));
            events.add(Arrays.copyOfRange(payload, 1, payload.length));
        }
        throw new AssertionError("no EOF");
    }

    private static RecordBlock block(List<BinlogRecord> records) {
        BinlogRecordCodec codec = new BinlogRecordCodec();
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            BinlogRecord r = records.get(i);
            fetched.add(new ConsumerRecord<>("t", 0, i, null, ByteBuffer.wrap(codec.encodeValue(r))));
        }
        return RecordBlock.copyOf(0, records.size(), fetched, codec, UnpooledByteBufAllocator.DEFAULT);
    }

    private void header(String file, String previousGtids) {
        at = BIN_LOG_HEADER_SIZE;
        byte[] events = events(FORMAT_DESCRIPTION_EVENT, 80, PREVIOUS_GTIDS_LOG_EVENT, 8);
        logs.add(RecordKind.FILE_HEADER, file, BIN_LOG_HEADER_SIZE, at, null, previousGtids, events);
    }

    private void transaction(String file, String gtid) {
        long start = at;
        byte[] events = events(GTID_LOG_EVENT, 42, QUERY_EVENT, 30, XID_EVENT, 8);
        logs.add(RecordKind.TRANSACTION, file, start, at, gtid, null, events);
    }

    /** Events of the given (type, body length) pairs from {@link #at} on, each kept in {@link #stored}. */
    private byte[] events(int... typesAndBodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < typesAndBodies.length; i += 2) {
            int size = LOG_EVENT_HEADER_LEN + typesAndBodies[i + 1] + BINLOG_CHECKSUM_LEN;
            byte[] e = new byte[size];
            LittleEndian.putUint32(e, 0, 1_700_000_000L);
            e[EVENT_TYPE_OFFSET] = (byte) typesAndBodies[i];
            LittleEndian.putUint32(e, SERVER_ID_OFFSET, 1);
            LittleEndian.putUint32(e, EVENT_LEN_OFFSET, size);
            LittleEndian.putUint32(e, LOG_POS_OFFSET, at + size);
            Arrays.fill(e, LOG_EVENT_HEADER_LEN, size - BINLOG_CHECKSUM_LEN, (byte) i);
            ChecksumAlgorithms.recompute(e, 0, size);
            stored.add(e);
            out.writeBytes(e);
            at += size;
        }
        return out.toByteArray();
    }
}
