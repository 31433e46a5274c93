package io.binlogbridge.core.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The password scrambles of {@code mysql_native_password} and {@code caching_sha2_password}.
 * Used by the replica-side client to answer a challenge and by the replayer to check one.
 */
public final class Scrambles {
    private Scrambles() {}

    /** SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))); empty for an empty password. */
    public static byte[] nativePassword(String password, byte[] seed) {
        if (password == null || password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha1 = digest("SHA-1");
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(seed, 0, Math.min(seed.length, 20));
        sha1.update(stage2);
        return xor(stage1, sha1.digest());
    }

    /** SHA256(password) XOR SHA256(SHA256(SHA256(password)) + seed); empty for an empty password. */
    public static byte[] cachingSha2Password(String password, byte[] seed) {
        if (password == null || password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha256 = digest("SHA-256");
        byte[] stage1 = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha256.digest(stage1);
        sha256.update(stage2);
        sha256.update(seed, 0, Math.min(seed.length, 20));
        return xor(stage1, sha256.digest());
    }

    /** Compares in time independent of where the first difference is. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    /** a XOR b, byte by byte (the scrambles' last step, and the server's way back from a scramble to a hash). */
    public static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** SHA-1 or SHA-256, which every JDK has. */
    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the MySQL protocol", e);
        }
    }
}
