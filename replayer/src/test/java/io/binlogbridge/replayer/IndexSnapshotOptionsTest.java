package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** --index-topic and --no-index-snapshot: where the index snapshots live, or none. */
class IndexSnapshotOptionsTest {
    private static final String[] REQUIRED = {"--kafka-bootstrap", "k:9092", "--topic", "shop.binlog", "--port", "3307", "--users-file", "u"};

    private static ReplayerConfig parse(String... more) throws OptionException {
        return ReplayerConfig.parse(Stream.concat(Stream.of(REQUIRED), Stream.of(more)).toArray(String[]::new), Map.of());
    }

    @Test
    void snapshotsLiveBesideTheTopicByDefault() throws Exception {
        assertEquals("shop.binlog.index", parse().indexTopic());
        assertEquals("snapshots", parse("--index-topic", "snapshots").indexTopic());
        assertEquals("snapshots", ReplayerConfig.parse(REQUIRED, Map.of("BINLOG_BRIDGE_INDEX_TOPIC", "snapshots")).indexTopic());
    }

    @Test
    void noIndexSnapshotTurnsThemOff() throws Exception {
        assertNull(parse("--no-index-snapshot").indexTopic());
        assertEquals("--index-topic and --no-index-snapshot contradict each other",
                assertThrows(OptionException.class, () -> parse("--no-index-snapshot", "--index-topic", "x")).getMessage());
        assertEquals("--index-topic must not be the binlog topic itself",
                assertThrows(OptionException.class, () -> parse("--index-topic", "shop.binlog")).getMessage());
    }

    @Test
    void helpDocumentsBoth() {
        String help = ReplayerConfig.DEFINITION.help();
        assertTrue(help.contains("--index-topic"), help);
        assertTrue(help.contains("--no-index-snapshot"), help);
    }
}
