package io.binlogbridge.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The server's TLS material, as MySQL's {@code ssl_cert}, {@code ssl_key} and {@code ssl_ca}: PEM files of the
 * certificate chain, its PKCS#8 private key and, optionally, the CAs that client certificates are checked against.
 *
 * @param ca null: client certificates are not asked for
 */
public record TlsSettings(Path certificate, Path privateKey, Path ca) {
    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
