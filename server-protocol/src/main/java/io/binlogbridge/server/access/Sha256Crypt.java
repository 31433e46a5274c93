package io.binlogbridge.server.access;

import io.binlogbridge.core.protocol.auth.Scrambles;
import java.security.MessageDigest;

/**
 * SHA-256-crypt (Ulrich Drepper's "Unix crypt using SHA-256", the {@code $5$} scheme) as MySQL's
 * {@code my_crypt_genhash} computes it for caching_sha2_password's stored form: the salt is used whole (MySQL's is 20
 * bytes, where the {@code $5$} scheme cuts salts at 16) and the rounds are given, never read from the salt.
 */
public final class Sha256Crypt {
    private static final String B64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** The 43 characters of the digest, in the byte order the scheme fixes. */
    private static final int[][] GROUPS = {
        {0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14}, {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}
    };

    private Sha256Crypt() {}

    /** The 43-character digest of {@code key} with {@code salt} after {@code rounds} rounds. */
    public static String digest(byte[] key, byte[] salt, int rounds) {
        MessageDigest alt = sha256();
        alt.update(key);
        alt.update(salt);
        alt.update(key);
        byte[] altResult = alt.digest();

        MessageDigest ctx = sha256();
        ctx.update(key);
        ctx.update(salt);
        int cnt;
        for (cnt = key.length; cnt > 32; cnt -= 32) {
            ctx.update(altResult, 0, 32);
        }
        ctx.update(altResult, 0, cnt);
        for (cnt = key.length; cnt > 0; cnt >>= 1) {
            if ((cnt & 1) != 0) {
                ctx.update(altResult, 0, 32);
            } else {
                ctx.update(key);
            }
        }
        byte[] a = ctx.digest();

        MessageDigest dp = sha256();
        for (int i = 0; i < key.length; i++) {
            dp.update(key);
        }
        byte[] p = repeat(dp.digest(), key.length);

        MessageDigest ds = sha256();
        for (int i = 0; i < 16 + (a[0] & 0xFF); i++) {
            ds.update(salt);
        }
        byte[] s = repeat(ds.digest(), salt.length);

        for (int i = 0; i < rounds; i++) {
            ctx.reset();
            ctx.update((i & 1) != 0 ? p : a);
            if (i % 3 != 0) {
                ctx.update(s);
            }
            if (i % 7 != 0) {
                ctx.update(p);
            }
            ctx.update((i & 1) != 0 ? a : p);
            a = ctx.digest();
        }

        StringBuilder out = new StringBuilder(43);
        for (int[] g : GROUPS) {
            encode(out, a[g[0]], a[g[1]], a[g[2]], 4);
        }
        encode(out, (byte) 0, a[31], a[30], 3);
        return out.toString();
    }

    private static void encode(StringBuilder out, byte b2, byte b1, byte b0, int chars) {
        int w = ((b2 & 0xFF) << 16) | ((b1 & 0xFF) << 8) | (b0 & 0xFF);
        for (int i = 0; i < chars; i++) {
            out.append(B64.charAt(w & 0x3F));
            w >>>= 6;
        }
    }

    private static byte[] repeat(byte[] block, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = block[i % block.length];
        }
        return out;
    }

    private static MessageDigest sha256() {
        return Scrambles.digest("SHA-256");
    }
}
