package io.binlogbridge.server.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
    @Test
    void aKeyThatIsNotPemIsRefusedNamingTheFiles(@TempDir Path dir) throws Exception {
        TlsSettings good = TestCertificates.selfSigned(dir, "server");
        assertNotNull(ServerTls.load(good).newHandler(ByteBufAllocator.DEFAULT));
        Path badKey = Files.writeString(dir.resolve("bad-key.pem"), "not a key\n");
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class,
                () -> ServerTls.load(new TlsSettings(good.certificate(), badKey, null)));
        assertTrue(e.getMessage().startsWith("cannot use TLS certificate " + good.certificate() + " with key " + badKey), e.getMessage());
    }

    @Test
    void aRenewalThatDoesNotLoadKeepsThePreviousCertificate(@TempDir Path dir) throws Exception {
        TlsSettings settings = TestCertificates.selfSigned(dir, "server");
        ServerTls tls = ServerTls.load(settings);
        Files.writeString(settings.privateKey(), "half-written\n");
        assertNotNull(tls.newHandler(ByteBufAllocator.DEFAULT), "new connections still get TLS with the loaded certificate");
    }
}
