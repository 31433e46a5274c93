package io.binlogbridge.server.rsa;

/** An RSA key file that does not load, or a public key that is not the private key's. */
public final class RsaKeyException extends Exception {
    public RsaKeyException(String message) {
        super(message);
    }

    public RsaKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
