package io.binlogbridge.core.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The full-authentication step of {@code caching_sha2_password} over a connection without TLS.
 *
 * <p>When the server has no cached hash for the user (always the first login after a server
 * restart), a scramble is not enough: the server needs the password itself. Without TLS it must not
 * travel in clear, so the client fetches the server's RSA public key and sends
 * {@code RSA-OAEP(password + NUL XOR seed)}; the XOR with the connection's seed stops a recorded
 * packet from being replayed on another connection.
 */
public final class CachingSha2FullAuth {
    /** What MySQL uses for caching_sha2_password since 8.0.5 (RSA_PKCS1_OAEP_PADDING, SHA-1 and MGF1). */
    public static final String RSA_TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";

    private CachingSha2FullAuth() {}

    /** The bytes to send after the server's public key: RSA-OAEP of (password + NUL) XOR seed. */
    public static byte[] encryptPassword(String password, byte[] seed, String pemPublicKey) throws GeneralSecurityException {
        PublicKey key = parsePublicKey(pemPublicKey);
        Cipher cipher = Cipher.getInstance(RSA_TRANSFORMATION);
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(xorWithSeed(password, seed));
    }

    /** (password UTF-8 bytes + NUL) XOR the seed, repeated as often as the password needs. */
    public static byte[] xorWithSeed(String password, byte[] seed) {
        byte[] pw = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[pw.length + 1];
        System.arraycopy(pw, 0, out, 0, pw.length);
        if (seed.length == 0) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] ^= seed[i % seed.length];
        }
        return out;
    }

    /**
     * Parses a PEM RSA public key: MySQL sends X.509 ("BEGIN PUBLIC KEY"); PKCS#1 ("BEGIN RSA PUBLIC
     * KEY"), which a server configured with a hand-made key file may send, is accepted too.
     */
    public static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        boolean pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
        StringBuilder base64 = new StringBuilder(pem.length());
        for (String line : pem.split("\r?\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("-----")) {
                base64.append(l);
            }
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("server public key is not valid PEM: " + e.getMessage(), e);
        }
        if (der.length == 0) {
            throw new GeneralSecurityException("server sent an empty public key");
        }
        if (pkcs1) {
            der = RsaDer.subjectPublicKeyInfoOf(der);
        }
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
}
