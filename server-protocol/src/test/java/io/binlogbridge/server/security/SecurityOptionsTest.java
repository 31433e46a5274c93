package io.binlogbridge.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.server.tls.TlsConfigurationException;
import io.binlogbridge.server.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityOptionsTest {
    private static Options parse(SecurityOptions security, String... args) throws OptionException {
        return security.declare(new OptionSet("test", "test")).parse(args, Map.of());
    }

    private static SecuritySettings settings(SecurityOptions security, String... args) throws OptionException {
        return security.parse(parse(security, args));
    }

    @Test
    void theReplayerTakesMySqlsNamesAndTheRelayAdminPortPrefixesThem() throws Exception {
        SecuritySettings replayer = settings(SecurityOptions.REPLAYER, "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-ca", "ca.pem",
                "--require-secure-transport", "--rsa-private-key", "priv.pem", "--rsa-public-key", "pub.pem");
        assertEquals(new SecuritySettings(new TlsSettings(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem")), true,
                Path.of("priv.pem"), Path.of("pub.pem")), replayer);
        SecuritySettings admin = settings(SecurityOptions.RELAY_ADMIN_PORT, "--admin-tls-cert", "c.pem", "--admin-tls-key", "k.pem",
                "--admin-require-secure-transport");
        assertEquals(new SecuritySettings(new TlsSettings(Path.of("c.pem"), Path.of("k.pem"), null), true, null, null), admin);
        OptionException unprefixed = assertThrows(OptionException.class, () -> parse(SecurityOptions.RELAY_ADMIN_PORT, "--tls-cert", "c.pem"));
        assertEquals("unknown option --tls-cert (see --help)", unprefixed.getMessage());
    }

    @Test
    void nothingSetMeansPlainWithAGeneratedKeyPair() throws Exception {
        SecuritySettings none = settings(SecurityOptions.RELAY_ADMIN_PORT);
        assertEquals(SecuritySettings.NONE, none);
        assertFalse(none.transport().offersTls());
        assertNull(none.loadRsaKeys());
        assertNull(SecurityOptions.RELAY_ADMIN_PORT.firstSet(parse(SecurityOptions.RELAY_ADMIN_PORT)));
        assertEquals("admin-rsa-public-key",
                SecurityOptions.RELAY_ADMIN_PORT.firstSet(parse(SecurityOptions.RELAY_ADMIN_PORT, "--admin-rsa-public-key", "p")));
    }

    @Test
    void optionsThatGoTogetherAreRefusedAloneInThePrefixedNames() {
        SecurityOptions admin = SecurityOptions.RELAY_ADMIN_PORT;
        assertEquals("--admin-tls-cert and --admin-tls-key go together",
                assertThrows(OptionException.class, () -> settings(admin, "--admin-tls-cert", "c.pem")).getMessage());
        assertEquals("--admin-tls-ca needs --admin-tls-cert and --admin-tls-key",
                assertThrows(OptionException.class, () -> settings(admin, "--admin-tls-ca", "ca.pem")).getMessage());
        assertEquals("--admin-require-secure-transport needs --admin-tls-cert and --admin-tls-key",
                assertThrows(OptionException.class, () -> settings(admin, "--admin-require-secure-transport")).getMessage());
        assertEquals("--admin-rsa-private-key and --admin-rsa-public-key go together",
                assertThrows(OptionException.class, () -> settings(admin, "--admin-rsa-private-key", "k.pem")).getMessage());
        assertEquals("--require-secure-transport needs --tls-cert and --tls-key",
                assertThrows(OptionException.class, () -> settings(SecurityOptions.REPLAYER, "--require-secure-transport")).getMessage());
    }

    @Test
    void helpNamesThePrefixedPartners() {
        String help = SecurityOptions.RELAY_ADMIN_PORT.declare(new OptionSet("test", "test")).help();
        assertTrue(help.contains("--admin-tls-cert VALUE"), help);
        assertTrue(help.contains("PEM certificate (chain) of the admin port"), help);
        assertTrue(help.contains("Needs --admin-tls-key."), help);
        assertTrue(help.contains("--admin-require-secure-transport\n"), help);
        assertFalse(help.contains(" --tls-"), help);
    }

    @Test
    void aMissingCertificateFileStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
        SecuritySettings settings = settings(SecurityOptions.RELAY_ADMIN_PORT, "--admin-tls-cert", dir.resolve("absent.pem").toString(),
                "--admin-tls-key", dir.resolve("absent-key.pem").toString());
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class, settings::transport);
        assertTrue(e.getMessage().contains("absent.pem"), e.getMessage());
    }
}
