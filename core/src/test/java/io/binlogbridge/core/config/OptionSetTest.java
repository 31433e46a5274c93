package io.binlogbridge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionSetTest {
    private final OptionSet set = new OptionSet("relay", "test")
            .required("source-host", OptionType.STRING, "Host.")
            .withDefault("port", OptionType.INT, "3306", "Port.")
            .withDefault("heartbeat", OptionType.DURATION, "2s", "Heartbeat.")
            .withDefault("chunk-size", OptionType.BYTES, "1m", "Chunk.")
            .optional("kafka-bootstrap", OptionType.ADDRESS, "Kafka.")
            .flag("semi-sync", "Semi-sync.");

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.properties");
        Files.writeString(file, "source-host=from-file\nport=1111\nchunk-size=2m\n");
        Options o = set.parse(new String[] {"--config", file.toString(), "--source-host", "from-flag"},
                Map.of("BINLOG_BRIDGE_SOURCE_HOST", "from-env", "BINLOG_BRIDGE_PORT", "2222"));
        assertEquals("from-flag", o.string("source-host"));
        assertEquals(2222, o.integer("port"));
        assertEquals(2L << 20, o.bytes("chunk-size"));
        assertEquals(Duration.ofSeconds(2), o.duration("heartbeat"));
        assertFalse(o.flag("semi-sync"));
        assertFalse(o.has("kafka-bootstrap"));
    }

    @Test
    void switchesAndEqualsSyntax() throws Exception {
        Options o = set.parse(new String[] {"--source-host=h", "--semi-sync", "--heartbeat", "500ms"}, Map.of());
        assertTrue(o.flag("semi-sync"));
        assertEquals(Duration.ofMillis(500), o.duration("heartbeat"));
    }

    @Test
    void durationsInDays() throws Exception {
        assertEquals(Duration.ofDays(7), set.parse(new String[] {"--source-host=h", "--heartbeat", "7d"}, Map.of()).duration("heartbeat"));
    }

    @Test
    void clearErrors() {
        assertEquals("missing required option --source-host (or BINLOG_BRIDGE_SOURCE_HOST; see --help)",
                assertThrows(OptionException.class, () -> set.parse(new String[0], Map.of())).getMessage());
        assertEquals("unknown option --sorce-host (see --help)",
                assertThrows(OptionException.class, () -> set.parse(new String[] {"--sorce-host", "x"}, Map.of())).getMessage());
        assertEquals("invalid value 'abc' for --port: not a number",
                assertThrows(OptionException.class, () -> set.parse(new String[] {"--source-host", "h", "--port", "abc"}, Map.of())).getMessage());
        assertEquals("option --port needs a value",
                assertThrows(OptionException.class, () -> set.parse(new String[] {"--source-host", "h", "--port"}, Map.of())).getMessage());
        assertThrows(OptionException.class, () -> set.parse(new String[] {"--source-host", "h", "--kafka-bootstrap", "nohost"}, Map.of()));
    }

    @Test
    void helpListsEveryOption() {
        String help = set.help();
        for (OptionDef def : set.definitions()) {
            assertTrue(help.contains("--" + def.name()), def.name());
            assertTrue(help.contains(def.environmentVariable()), def.name());
        }
        assertTrue(help.contains("Default: 3306"));
        assertTrue(help.contains("Required."));
    }
}
