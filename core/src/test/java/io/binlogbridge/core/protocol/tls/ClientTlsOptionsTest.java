package io.binlogbridge.core.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsOptionsTest {
    private static ClientTls parse(String mode, String ca) {
        return ClientTlsOptions.parse("source.ssl.mode", mode, "source.ssl.ca", ca);
    }

    @Test
    void modesInAnyCaseWithTheirCa(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals(ClientTls.DISABLED, parse("disabled", null));
        assertEquals(new ClientTls(SslMode.REQUIRED, null), parse("REQUIRED", " "));
        assertEquals(new ClientTls(SslMode.VERIFY_CA, ca), parse("Verify_CA", ca.toString()));
    }

    @Test
    void eachRefusalNamesTheOptionToChange(@TempDir Path dir) {
        ClientTlsOptions.InvalidOption unknown = assertThrows(ClientTlsOptions.InvalidOption.class, () -> parse("ON", null));
        assertEquals("source.ssl.mode", unknown.option());
        assertEquals("source.ssl.mode: ssl mode must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY, got ON",
                unknown.getMessage());
        ClientTlsOptions.InvalidOption noCa = assertThrows(ClientTlsOptions.InvalidOption.class, () -> parse("VERIFY_IDENTITY", null));
        assertEquals("source.ssl.ca", noCa.option());
        assertEquals("source.ssl.mode VERIFY_IDENTITY needs source.ssl.ca", noCa.getMessage());
        Path absent = dir.resolve("absent.pem");
        ClientTlsOptions.InvalidOption unreadable = assertThrows(ClientTlsOptions.InvalidOption.class,
                () -> parse("VERIFY_CA", absent.toString()));
        assertEquals("source.ssl.ca", unreadable.option());
        assertEquals("source.ssl.ca " + absent + " cannot be read", unreadable.getMessage());
    }
}
