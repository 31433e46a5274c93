package io.binlogbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.tls.ClientTls;
import io.binlogbridge.core.protocol.tls.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinlogSourceConfigTlsTest {
    private static Map<String, String> props(String... extra) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("source.host", "db", "source.user", "repl", "source.password", "pw",
                "server.id", "9", "topic", "t", "kafka.bootstrap.servers", "k:9092"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    @Test
    void plainByDefaultAsRelayServer() {
        assertEquals(ClientTls.DISABLED, new BinlogSourceConfig(props()).source().tls());
    }

    @Test
    void theSourceConnectionCarriesTheModeAndCa(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals(new ClientTls(SslMode.VERIFY_CA, ca),
                new BinlogSourceConfig(props("source.ssl.mode", "verify_ca", "source.ssl.ca", ca.toString())).source().tls());
        assertEquals(SslMode.REQUIRED, new BinlogSourceConfig(props("source.ssl.mode", "REQUIRED")).source().tls().mode());
    }

    @Test
    void anUnknownModeIsRefusedByTheConfigDef() {
        ConfigException e = assertThrows(ConfigException.class, () -> new BinlogSourceConfig(props("source.ssl.mode", "ON")));
        assertTrue(e.getMessage().contains("source.ssl.mode") && e.getMessage().contains("VERIFY_IDENTITY, got ON"), e.getMessage());
    }

    @Test
    void verifyingWithoutAReadableCaIsRefusedOnTheCaKey(@TempDir Path dir) {
        BinlogSourceConfig noCa = new BinlogSourceConfig(props("source.ssl.mode", "VERIFY_IDENTITY"));
        ConfigException e = assertThrows(ConfigException.class, noCa::source);
        assertTrue(e.getMessage().endsWith("source.ssl.mode VERIFY_IDENTITY needs source.ssl.ca"), e.getMessage());
        assertThrows(ConfigException.class, () -> new BinlogSourceConnector().start(props("source.ssl.mode", "VERIFY_CA")));

        // validate() puts the error on the key to change, before trying the source.
        String absent = dir.resolve("absent.pem").toString();
        List<ConfigValue> values = new BinlogSourceConnector()
                .validate(props("source.ssl.mode", "VERIFY_CA", "source.ssl.ca", absent)).configValues();
        ConfigValue ca = values.stream().filter(v -> v.name().equals("source.ssl.ca")).findFirst().orElseThrow();
        assertEquals(List.of("source.ssl.ca " + absent + " cannot be read"), ca.errorMessages());
        assertTrue(values.stream().filter(v -> !v.name().equals("source.ssl.ca")).allMatch(v -> v.errorMessages().isEmpty()));
    }
}
