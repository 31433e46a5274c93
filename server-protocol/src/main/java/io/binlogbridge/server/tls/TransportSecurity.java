package io.binlogbridge.server.tls;

/**
 * Whether a MySQL protocol server offers TLS and whether it refuses clients that do not use it.
 *
 * @param tls                    null: CLIENT_SSL is not offered
 * @param requireSecureTransport refuse authenticated plain connections with ERROR 3159 (needs {@code tls})
 */
public record TransportSecurity(ServerTls tls, boolean requireSecureTransport) {
    public static final TransportSecurity PLAIN = new TransportSecurity(null, false);

    public TransportSecurity {
        if (requireSecureTransport && tls == null) {
            throw new IllegalArgumentException("require_secure_transport needs TLS");
        }
    }

    public boolean offersTls() {
        return tls != null;
    }
}
