package io.binlogbridge.server.security;

import io.binlogbridge.server.rsa.RsaKeyException;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.tls.ServerTls;
import io.binlogbridge.server.tls.TlsConfigurationException;
import io.binlogbridge.server.tls.TlsSettings;
import io.binlogbridge.server.tls.TransportSecurity;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SecurityOptions} parsed: the files to load at start, so that a bad certificate or key stops the server
 * with one line instead of failing the first client.
 *
 * @param tls           null: no TLS
 * @param rsaPrivateKey null (and {@code rsaPublicKey} null): no key files, the server generates a pair
 */
public record SecuritySettings(TlsSettings tls, boolean requireSecureTransport, Path rsaPrivateKey, Path rsaPublicKey) {
    private static final Logger LOG = LoggerFactory.getLogger(SecuritySettings.class);
    public static final SecuritySettings NONE = new SecuritySettings(null, false, null, null);

    public SecuritySettings {
        if (requireSecureTransport && tls == null) {
            throw new IllegalArgumentException("require_secure_transport needs TLS");
        }
        if ((rsaPrivateKey == null) != (rsaPublicKey == null)) {
            throw new IllegalArgumentException("the RSA private and public key files go together");
        }
    }

    /** TLS offered (its files loaded now) and required or not. */
    public TransportSecurity transport() throws TlsConfigurationException {
        return tls == null ? TransportSecurity.PLAIN : new TransportSecurity(ServerTls.load(tls), requireSecureTransport);
    }

    /** The key pair from the files, read now; null when none were given (the server then generates one). */
    public RsaKeys loadRsaKeys() throws RsaKeyException {
        if (rsaPrivateKey == null) {
            return null;
        }
        RsaKeys keys = RsaKeys.load(rsaPrivateKey, rsaPublicKey);
        LOG.info("caching_sha2_password RSA key pair loaded from {} and {}", rsaPrivateKey, rsaPublicKey);
        return keys;
    }
}
