package io.binlogbridge.core.replica;

import java.security.cert.CertificateException;

/**
 * The source's TLS certificate was refused (not chained to the CA given, or not naming the host with VERIFY_IDENTITY).
 * Not retried: it does not heal by reconnecting, and a relay that kept retrying would look healthy while relaying nothing.
 */
public final class SourceCertificateException extends SourceException {
    public SourceCertificateException(String message, Throwable cause) {
        super(message, false, cause);
    }

    /** The certificate failure in {@code e}'s causes, null when {@code e} is not one. */
    static CertificateException certificateFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException c) {
                return c;
            }
        }
        return null;
    }
}
