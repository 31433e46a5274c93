package io.binlogbridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.protocol.tls.ClientTls;
import io.binlogbridge.core.protocol.tls.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaySourceTlsOptionsTest {
    private static ClientTls tls(String... extra) throws OptionException {
        List<String> args = new ArrayList<>(List.of("--source-host", "db", "--source-user", "repl", "--server-id", "9", "--topic", "t",
                "--kafka-bootstrap", "k:9092"));
        args.addAll(List.of(extra));
        return RelayMain.settings(RelayOptions.definitions().parse(args.toArray(String[]::new), Map.of()), null).source().tls();
    }

    @Test
    void plainByDefaultAsAMySqlReplica() throws Exception {
        assertEquals(SslMode.DISABLED, tls().mode());
        assertNull(tls().ca());
    }

    @Test
    void modesAsMySqlNamesThem(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals(new ClientTls(SslMode.VERIFY_CA, ca), tls("--source-ssl-mode", "verify_ca", "--source-ssl-ca", ca.toString()));
        assertEquals(SslMode.REQUIRED, tls("--source-ssl-mode", "REQUIRED").mode());
        assertEquals(SslMode.PREFERRED, tls("--source-ssl-mode", "PREFERRED").mode());
    }

    @Test
    void verifyingWithoutACaOrAnUnknownModeIsRefused(@TempDir Path dir) {
        OptionException noCa = assertThrows(OptionException.class, () -> tls("--source-ssl-mode", "VERIFY_IDENTITY"));
        assertEquals("--source-ssl-mode VERIFY_IDENTITY needs --source-ssl-ca", noCa.getMessage());
        OptionException bad = assertThrows(OptionException.class, () -> tls("--source-ssl-mode", "ON"));
        assertEquals("--source-ssl-mode: ssl mode must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY, got ON",
                bad.getMessage());
        assertThrows(OptionException.class, () -> tls("--source-ssl-mode", "VERIFY_CA", "--source-ssl-ca", dir.resolve("absent").toString()));
    }
}
