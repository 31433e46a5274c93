package io.binlogbridge.server.tls;

/** The certificate, key or CA files cannot make a TLS server context; the message names the file and the cause. */
public final class TlsConfigurationException extends Exception {
    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
