package io.binlogbridge.replayer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.replayer.ReplayerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    static final String[] REQUIRED = {"--kafka-bootstrap", "k:9092", "--topic", "t", "--port", "3307", "--users-file", "u.txt"};

    @Test
    void requiredAndDefaults() {
        ReplayerConfig c = ReplayerConfig.parse(REQUIRED, Map.of());
        assertEquals("k:9092", c.kafkaBootstrap());
        assertEquals(3307, c.port());
        assertEquals(1L, c.serverId());
        assertEquals("0.0.0.0", c.bindAddress());
    }

    @Test
    void precedenceFlagThenEnvThenFile() throws Exception {
        Path file = dir.resolve("r.properties");
        Files.writeString(file, "kafka-bootstrap=file:1\ntopic=fromfile\nport=1\nusers-file=f\nserver-id=9\n");
        Map<String, String> env = Map.of("BINLOG_BRIDGE_TOPIC", "fromenv", "BINLOG_BRIDGE_SERVER_ID", "8");
        ReplayerConfig c = ReplayerConfig.parse(new String[] {"--config", file.toString(), "--server-id=7"}, env);
        assertEquals("file:1", c.kafkaBootstrap());
        assertEquals("fromenv", c.topic());
        assertEquals(7L, c.serverId());
        ReplayerConfig fromEnv = ReplayerConfig.parse(new String[] {"--config", file.toString()}, env);
        assertEquals(8L, fromEnv.serverId());
    }

    @Test
    void clearErrors() {
        ConfigException missing = assertThrows(ConfigException.class, () -> ReplayerConfig.parse(new String[] {"--topic", "t"}, Map.of()));
        assertEquals("missing required option --kafka-bootstrap (or environment BINLOG_BRIDGE_KAFKA_BOOTSTRAP)", missing.getMessage());
        String[] badPort = REQUIRED.clone();
        badPort[5] = "abc";
        ConfigException e = assertThrows(ConfigException.class, () -> ReplayerConfig.parse(badPort, Map.of()));
        assertEquals("invalid value 'abc' for --port (command line): expected an integer", e.getMessage());
        assertThrows(ConfigException.class, () -> ReplayerConfig.parse(new String[] {"--nope", "x"}, Map.of()));
        assertThrows(ConfigException.class, () -> ReplayerConfig.parse(new String[] {"--topic"}, Map.of()));
        String[] badBootstrap = REQUIRED.clone();
        badBootstrap[1] = "nohostport";
        assertThrows(ConfigException.class, () -> ReplayerConfig.parse(badBootstrap, Map.of()));
    }

    @Test
    void helpListsEveryOption() {
        String help = ReplayerConfig.DEFINITION.help("replayer", ReplayerConfig.SUMMARY);
        for (ConfigDef.Option o : ReplayerConfig.DEFINITION.options()) {
            assertTrue(help.contains("--" + o.name()), o.name());
            assertTrue(help.contains(o.documentation()), o.name());
            assertTrue(help.contains(o.environmentVariable()), o.name());
        }
        assertTrue(help.contains("default: 1"));
        assertTrue(help.contains("--config"));
    }
}
