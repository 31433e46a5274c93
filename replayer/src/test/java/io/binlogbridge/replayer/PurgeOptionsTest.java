package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** --archive (with the archiver's S3 options) and --binlog-expire-logs-seconds: parsed once, as documented. */
class PurgeOptionsTest {
    private static final String[] REQUIRED = {"--kafka-bootstrap", "k:9092", "--topic", "t", "--port", "3307", "--users-file", "u"};

    private static ReplayerConfig parse(String... more) throws OptionException {
        return ReplayerConfig.parse(Stream.concat(Stream.of(REQUIRED), Stream.of(more)).toArray(String[]::new), Map.of());
    }

    @Test
    void withoutThemPurgeIsMySqlsAndNothingExpires() throws Exception {
        ReplayerConfig config = parse();
        assertNull(config.archive());
        assertEquals(0, config.binlogExpireLogsSeconds());
    }

    @Test
    void archiveTakesTheArchiversDestinationAndS3Options() throws Exception {
        ReplayerConfig config = parse("--archive", "s3://binlogs/prod", "--s3-endpoint", "http://127.0.0.1:9000", "--s3-path-style",
                "--binlog-expire-logs-seconds", "86400");
        assertEquals("s3://binlogs/prod", config.archive());
        assertEquals(new ArchiveStorage.S3Settings("http://127.0.0.1:9000", null, true), config.archiveS3());
        assertEquals(86400, config.binlogExpireLogsSeconds());
    }

    @Test
    void expiryOutsideMySqlsRangeIsRefused() {
        OptionException e = assertThrows(OptionException.class, () -> parse("--binlog-expire-logs-seconds", "-1"));
        assertTrue(e.getMessage().contains("--binlog-expire-logs-seconds must be 0..4294967295"), e.getMessage());
        assertThrows(OptionException.class, () -> parse("--s3-endpoint", "ftp://x"));
    }
}
