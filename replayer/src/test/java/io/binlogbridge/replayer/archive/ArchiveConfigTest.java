package io.binlogbridge.replayer.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveConfigTest {
    @Test
    void archiveOptions() throws Exception {
        ArchiveConfig c = ArchiveConfig.parse(new String[] {"--kafka-bootstrap", "k:9092", "--topic", "t", "--to", "s3://b/p", "--once",
                "--s3-endpoint", "http://127.0.0.1:9000", "--s3-path-style"}, Map.of());
        assertTrue(c.once());
        assertEquals("s3://b/p", c.to());
        assertEquals(8L << 20, c.partSize());
        assertEquals(new ArchiveStorage.S3Settings("http://127.0.0.1:9000", null, true), c.s3());
        assertFalse(ArchiveConfig.parse(new String[] {"--kafka-bootstrap", "k", "--topic", "t", "--to", "/d"}, Map.of()).once());
    }

    @Test
    void badArchiveOptionsAreNamed() {
        OptionException e = assertThrows(OptionException.class, () -> ArchiveConfig.parse(new String[] {"--kafka-bootstrap", "k",
                "--topic", "t", "--to", "/d", "--part-size", "1m"}, Map.of()));
        assertTrue(e.getMessage().contains("--part-size"), e.getMessage());
        e = assertThrows(OptionException.class, () -> ArchiveConfig.parse(new String[] {"--kafka-bootstrap", "k", "--topic", "t", "--to",
                "s3://b", "--s3-endpoint", "minio:9000"}, Map.of()));
        assertTrue(e.getMessage().contains("--s3-endpoint"), e.getMessage());
    }

    @Test
    void theIndexSnapshotTopicDefaultsToTheReplayers() throws Exception {
        String[] base = {"--kafka-bootstrap", "k", "--topic", "shop.binlog", "--to", "/d"};
        assertEquals("shop.binlog.index", ArchiveConfig.parse(base, Map.of()).indexTopic());
        assertEquals("snapshots", ArchiveConfig.parse(with(base, "--index-topic", "snapshots"), Map.of()).indexTopic());
        assertNull(ArchiveConfig.parse(with(base, "--no-index-snapshot"), Map.of()).indexTopic());
        OptionException e = assertThrows(OptionException.class,
                () -> ArchiveConfig.parse(with(base, "--index-topic", "snapshots", "--no-index-snapshot"), Map.of()));
        assertEquals("--index-topic and --no-index-snapshot contradict each other", e.getMessage());
        e = assertThrows(OptionException.class, () -> ArchiveConfig.parse(with(base, "--index-topic", "shop.binlog"), Map.of()));
        assertEquals("--index-topic must not be the binlog topic itself", e.getMessage());
        String help = ArchiveConfig.DEFINITION.help();
        assertTrue(help.contains("--index-topic") && help.contains("--no-index-snapshot"), help);
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void findNeedsAGtidSetOrATime() throws Exception {
        assertThrows(OptionException.class, () -> ArchiveConfig.parseFind(new String[] {"--to", "/d"}, Map.of()));
        ArchiveConfig.Find f = ArchiveConfig.parseFind(new String[] {"--to", "/d", "--until", "2026-12-02 14:40:00"}, Map.of());
        assertEquals(LocalDateTime.of(2026, 12, 2, 14, 40, 0), f.until());
        assertNull(f.gtidSet());
        OptionException e = assertThrows(OptionException.class,
                () -> ArchiveConfig.parseFind(new String[] {"--to", "/d", "--until", "yesterday"}, Map.of()));
        assertTrue(e.getMessage().contains("YYYY-MM-DD HH:MM:SS"), e.getMessage());
    }

    @Test
    void s3Locations() throws Exception {
        assertEquals(new ArchiveStorage.S3Location("b", "a/b"), ArchiveStorage.S3Location.parse("s3://b/a/b/"));
        assertEquals("x", ArchiveStorage.S3Location.parse("s3://b").key("x"));
        assertEquals("p/x", ArchiveStorage.S3Location.parse("s3://b/p").key("x"));
        assertThrows(ArchiveException.class, () -> ArchiveStorage.S3Location.parse("s3:///p"));
    }
}
