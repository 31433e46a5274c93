package io.binlogbridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.server.security.SecuritySettings;
import io.binlogbridge.server.tls.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayAdminSecurityOptionsTest {
    private static SecuritySettings adminSecurity(String... extra) throws OptionException {
        List<String> args = new ArrayList<>(List.of("--source-host", "db", "--source-user", "repl", "--server-id", "9", "--topic", "t",
                "--kafka-bootstrap", "k:9092"));
        args.addAll(List.of(extra));
        return RelayMain.adminSecurity(RelayOptions.definitions().parse(args.toArray(String[]::new), Map.of()));
    }

    @Test
    void theAdminPortTakesTheReplayersOptionsPrefixed() throws Exception {
        assertEquals(new SecuritySettings(new TlsSettings(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem")), true,
                        Path.of("priv.pem"), Path.of("pub.pem")),
                adminSecurity("--admin-port", "3307", "--admin-tls-cert", "c.pem", "--admin-tls-key", "k.pem", "--admin-tls-ca", "ca.pem",
                        "--admin-require-secure-transport", "--admin-rsa-private-key", "priv.pem", "--admin-rsa-public-key", "pub.pem"));
        assertEquals(SecuritySettings.NONE, adminSecurity("--admin-port", "3307"));
        assertEquals(SecuritySettings.NONE, adminSecurity());
    }

    @Test
    void withoutTheAdminPortTheyAreRefused() {
        OptionException e = assertThrows(OptionException.class, () -> adminSecurity("--admin-tls-cert", "c.pem", "--admin-tls-key", "k.pem"));
        assertEquals("--admin-tls-cert needs --admin-port", e.getMessage());
        assertEquals("--admin-require-secure-transport needs --admin-port",
                assertThrows(OptionException.class, () -> adminSecurity("--admin-require-secure-transport")).getMessage());
        assertEquals("--admin-require-secure-transport needs --admin-tls-cert and --admin-tls-key",
                assertThrows(OptionException.class, () -> adminSecurity("--admin-port", "3307", "--admin-require-secure-transport")).getMessage());
    }

    @Test
    void helpListsThemBesideTheAdminPort() {
        String help = RelayOptions.definitions().help();
        for (String option : List.of("--admin-tls-cert VALUE", "--admin-tls-key VALUE", "--admin-tls-ca VALUE",
                "--admin-require-secure-transport", "--admin-rsa-private-key VALUE", "--admin-rsa-public-key VALUE")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("BINLOG_BRIDGE_ADMIN_TLS_CERT"), help);
    }
}
