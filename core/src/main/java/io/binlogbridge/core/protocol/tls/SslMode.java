package io.binlogbridge.core.protocol.tls;

import java.util.Locale;

/** MySQL's {@code --ssl-mode} for a client connection, with its meaning for the connection to a source. */
public enum SslMode {
    /** Plain connection. */
    DISABLED,
    /** TLS when the server offers it, without checking its certificate; plain otherwise. */
    PREFERRED,
    /** TLS or no connection; the certificate is not checked (encryption without authentication). */
    REQUIRED,
    /** TLS with the certificate chained to the given CA; the host name is not checked. */
    VERIFY_CA,
    /** As VERIFY_CA, and the certificate must name the host connected to (SAN DNS name or IP address). */
    VERIFY_IDENTITY;

    public boolean requiresTls() {
        return this == REQUIRED || verifiesCertificate();
    }

    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    /** Case-insensitive, as MySQL accepts it. */
    public static SslMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ssl mode must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY, got " + text);
        }
    }
}
