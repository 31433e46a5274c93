package io.binlogbridge.it.replayer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replayer serves the relayed log as the source serves its own: a dump from the first file rebuilds
 * the source's binlog files byte for byte; mid-file, GTID and bad requests behave as MySQL's do.
 */
class ReplayerDumpTest {
    private static final String TOPIC = "replayer-dump";
    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().gtid(true).start();
        source.createReplicationUser("repl", "repl-Secret1");
        source.execute("CREATE DATABASE d", "CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(2000))");
        for (int i = 0; i < 200; i++) {
            source.execute("INSERT INTO d.t VALUES (" + i + ", REPEAT('x', " + (i * 10) + "))");
            if (i % 70 == 69) {
                source.execute("FLUSH BINARY LOGS");
            }
        }
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4001, kafka.bootstrap(), TOPIC).start();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to catch up");
        }
        replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(replayer, relay, source, kafka);
    }

    private static MySqlClient connect() throws Exception {
        MySqlClient client = MySqlClient.connect(ConnectionSettings.of("127.0.0.1", replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD));
        client.execute("SET @master_binlog_checksum= @@global.binlog_checksum");
        client.execute("SET @master_heartbeat_period= 500000000");
        return client;
    }

    /** Reads events until EOF: {@code [type, logPos, bytes]} per event. */
    private static List<byte[]> readUntilEof(MySqlClient client) throws Exception {
        BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
        List<byte[]> events = new ArrayList<>();
        client.channel().setReadTimeout(30_000);
        while (true) {
            GrowableBuffer buffer = new GrowableBuffer(1024);
            int n = reader.readEvent(buffer);
            if (n < 0) {
                return events;
            }
            events.add(java.util.Arrays.copyOf(buffer.array(), n));
        }
    }

    private static boolean artificial(byte[] e) {
        return EventHeader.logPos(e, 0) == 0 || (EventHeader.flags(e, 0) & BinlogConstants.LOG_EVENT_ARTIFICIAL_F) != 0
                || EventHeader.type(e, 0) == BinlogConstants.HEARTBEAT_LOG_EVENT;
    }

    @Test
    void fullDumpRebuildsTheSourceFilesByteForByte() throws Exception {
        List<byte[]> events;
        try (MySqlClient client = connect()) {
            client.sendBinlogDump("", 4, 77, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            events = readUntilEof(client);
        }
        Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
        String file = null;
        for (byte[] e : events) {
            if (EventHeader.type(e, 0) == BinlogConstants.ROTATE_EVENT && artificial(e)) {
                file = new String(e, 27, e.length - 27 - 4);
                files.computeIfAbsent(file, f -> {
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    o.write(BinlogConstants.BINLOG_MAGIC, 0, 4);
                    return o;
                });
                continue;
            }
            if (!artificial(e)) {
                files.get(file).write(e, 0, e.length);
            }
        }
        List<Path> onDisk = source.binlogFiles();
        assertEquals(onDisk.stream().map(p -> p.getFileName().toString()).toList(), List.copyOf(files.keySet()));
        for (Path p : onDisk) {
            byte[] disk = TopicContents.withoutInUseFlag(Files.readAllBytes(p));
            assertArrayEquals(disk, files.get(p.getFileName().toString()).toByteArray(), p.getFileName() + " differs");
        }
    }

    @Test
    void midFileStartBeginsWithAFormatDescriptionThenTheRequestedEvent() throws Exception {
        Path first = source.binlogFiles().get(1);
        byte[] disk = Files.readAllBytes(first);
        // The third event boundary after the header: walk the file's own events.
        long pos = 4;
        List<Long> boundaries = new ArrayList<>();
        while (pos < disk.length) {
            boundaries.add(pos);
            pos += EventHeader.eventSize(disk, (int) pos);
        }
        long start = boundaries.get(5);
        try (MySqlClient client = connect()) {
            client.sendBinlogDump(first.getFileName().toString(), start, 78, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            List<byte[]> events = readUntilEof(client);
            assertEquals(BinlogConstants.ROTATE_EVENT, EventHeader.type(events.get(0), 0));
            assertEquals(BinlogConstants.FORMAT_DESCRIPTION_EVENT, EventHeader.type(events.get(1), 0));
            assertEquals(0, EventHeader.logPos(events.get(1), 0), "re-sent FORMAT_DESCRIPTION has log_pos 0");
            byte[] firstEvent = events.get(2);
            assertArrayEquals(java.util.Arrays.copyOfRange(disk, (int) start, (int) start + firstEvent.length), firstEvent);
        }
        try (MySqlClient client = connect()) {
            client.sendBinlogDump(first.getFileName().toString(), start + 1, 79, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> readUntilEof(client));
            assertEquals(1236, e.errorCode());
            assertTrue(e.serverMessage().contains("bogus data in log event"), e.getMessage());
        }
    }

    @Test
    void badRequestsGetMySqlsErrors() throws Exception {
        try (MySqlClient client = connect()) {
            client.sendBinlogDump("binlog.999999", 4, 80, 0);
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> readUntilEof(client));
            assertEquals(1236, e.errorCode());
            assertEquals("Could not find first log file name in binary log index file", e.serverMessage());
        }
        try (MySqlClient client = connect()) {
            client.sendBinlogDump(source.binlogFiles().get(0).getFileName().toString(), 1L << 30, 81, 0);
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> readUntilEof(client));
            assertEquals("Client requested master to start replication from position > file size", e.serverMessage());
        }
        // A replica claiming GTIDs the log never had.
        try (MySqlClient client = connect()) {
            MySqlGtidSet ahead = MySqlGtidSet.parse(source.serverUuid() + ":1-100000");
            client.sendBinlogDumpGtid("", 4, 82, MySqlConstants.BINLOG_THROUGH_GTID, ahead.encode());
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> readUntilEof(client));
            assertTrue(e.serverMessage().startsWith("Slave has more GTIDs than the master has"), e.getMessage());
        }
    }

    @Test
    void gtidDumpSendsExactlyTheMissingTransactions() throws Exception {
        MySqlGtidSet executed = MySqlGtidSet.parse(source.gtidExecuted());
        String uuid = source.serverUuid();
        long last = Long.parseLong(executed.toString().replaceAll(".*-", ""));
        MySqlGtidSet have = MySqlGtidSet.parse(uuid + ":1-" + (last - 3));
        List<String> gtids = new ArrayList<>();
        try (MySqlClient client = connect()) {
            client.sendBinlogDumpGtid("", 4, 83, MySqlConstants.BINLOG_THROUGH_GTID | MySqlConstants.BINLOG_DUMP_NON_BLOCK, have.encode());
            for (byte[] e : readUntilEof(client)) {
                if (EventHeader.type(e, 0) == BinlogConstants.GTID_LOG_EVENT) {
                    gtids.add(io.binlogbridge.core.gtid.MySqlGtid.fromGtidEvent(e, 0).toString());
                }
            }
        }
        assertEquals(List.of(uuid + ":" + (last - 2), uuid + ":" + (last - 1), uuid + ":" + last), gtids);
    }
}
