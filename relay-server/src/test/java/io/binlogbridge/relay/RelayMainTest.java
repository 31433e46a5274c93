package io.binlogbridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayMainTest {
    private static RelaySettings settings(Map<String, String> env, String... extra) throws OptionException {
        List<String> args = new ArrayList<>(List.of("--source-host", "db", "--source-user", "repl", "--server-id", "7",
                "--topic", "t", "--kafka-bootstrap", "k:9092"));
        args.addAll(List.of(extra));
        return RelayMain.settings(RelayOptions.definitions().parse(args.toArray(String[]::new), env), null);
    }

    private static RelaySettings settings(String... extra) throws OptionException {
        return settings(Map.of(), extra);
    }

    @Test
    void transactionTimeoutDefaultsToTheBrokersMaximum() throws Exception {
        assertEquals(Optional.empty(), settings().transactionTimeout());
    }

    @Test
    void transactionTimeoutTakesADuration() throws Exception {
        assertEquals(Optional.of(Duration.ofSeconds(2)), settings("--transaction-timeout", "2s").transactionTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(15)), settings("--transaction-timeout", "15m").transactionTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(10)),
                settings(Map.of("BINLOG_BRIDGE_TRANSACTION_TIMEOUT", "10m")).transactionTimeout());
    }

    @Test
    void transactionTimeoutOutOfRangeIsRefused() {
        OptionException tooShort = assertThrows(OptionException.class, () -> settings("--transaction-timeout", "500ms"));
        assertTrue(tooShort.getMessage().startsWith("--transaction-timeout must be between 1s and"), tooShort.getMessage());
        assertThrows(OptionException.class, () -> settings("--transaction-timeout", "30d"));
        assertThrows(OptionException.class, () -> settings("--transaction-timeout", "1000h"));
    }

    @Test
    void theProducersOwnSettingIsRefusedInFavourOfTheOption(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "transaction.timeout.ms=120000\n");
        OptionException e = assertThrows(OptionException.class, () -> settings("--kafka-properties", file.toString()));
        assertEquals("--kafka-properties sets transaction.timeout.ms: use --transaction-timeout instead", e.getMessage());
    }

    @Test
    void helpDocumentsTheOption() {
        String help = RelayOptions.definitions().help();
        assertTrue(help.contains("--transaction-timeout"), help);
        assertTrue(help.contains("transaction.max.timeout.ms"), help);
    }
}
