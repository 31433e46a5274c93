package io.binlogbridge.server.access;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the users file holds to check a password: one of MySQL's scramble-verifiable hashes, or (tolerated, with a
 * warning) the password itself. A hash lets the server check a client's scramble without knowing the password,
 * and check a password sent in the clear (caching_sha2_password full authentication, over TLS only).
 */
public sealed interface StoredSecret {
    /** Whether a scramble of {@code plugin} can be checked against this secret. */
    boolean verifiesScrambleOf(String plugin);

    /** Whether {@code response} is the right answer of {@code plugin} to {@code seed}. */
    boolean matchesScramble(String plugin, byte[] seed, byte[] response);

    /** Whether {@code password} (as a client sends it in full authentication, without its NUL) is the password. */
    boolean matchesCleartext(byte[] password);

    /** The plugin to ask a client for when it answered for one this secret cannot check. */
    String plugin();

    /**
     * Whether a caching_sha2_password scramble that does not match is followed by full authentication (the client
     * sends the password, inside TLS or RSA-encrypted) rather than refused: MySQL's own stored form, whose fast path
     * works only once a full authentication has filled the cache.
     */
    default boolean fullAuthenticationOnMiss() {
        return false;
    }

    /**
     * Parses the secret field of a users file line: {@code *HEX40}, {@code $sha2$HEX64}, MySQL's {@code $A$005$…} (raw
     * or {@code 0x}HEX), else plaintext.
     */
    static StoredSecret parse(String field) {
        if (NativePasswordHash.looksLike(field)) {
            return NativePasswordHash.parse(field);
        }
        if (CachingSha2Hash.looksLike(field)) {
            return CachingSha2Hash.parse(field);
        }
        if (CachingSha2Crypt.looksLike(field)) {
            return CachingSha2Crypt.parse(field);
        }
        return new Plaintext(field);
    }

    /**
     * mysql_native_password's {@code *} + HEX(SHA1(SHA1(password))), exactly as MySQL stores it in
     * {@code mysql.user.authentication_string}. The scramble is SHA1(pw) XOR SHA1(seed + stage2): XOR it away and
     * the candidate SHA1(pw) must hash to stage2.
     */
    record NativePasswordHash(byte[] stage2) implements StoredSecret {
        static final String PREFIX = "*";

        static boolean looksLike(String field) {
            return field.startsWith(PREFIX) && field.length() == 41 && isHex(field.substring(1));
        }

        static NativePasswordHash parse(String field) {
            return new NativePasswordHash(HexFormat.of().parseHex(field.substring(1)));
        }

        public static NativePasswordHash of(String password) {
            return new NativePasswordHash(sha1(sha1(password.getBytes(StandardCharsets.UTF_8))));
        }

        @Override
        public boolean verifiesScrambleOf(String plugin) {
            return MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin);
        }

        @Override
        public boolean matchesScramble(String plugin, byte[] seed, byte[] response) {
            if (!verifiesScrambleOf(plugin) || response.length != 20) {
                return false;
            }
            MessageDigest sha1 = Scrambles.digest("SHA-1");
            sha1.update(seed, 0, Math.min(seed.length, 20));
            sha1.update(stage2);
            byte[] stage1 = Scrambles.xor(response, sha1.digest());
            return MessageDigest.isEqual(sha1(stage1), stage2);
        }

        @Override
        public boolean matchesCleartext(byte[] password) {
            return MessageDigest.isEqual(sha1(sha1(password)), stage2);
        }

        @Override
        public String plugin() {
            return MySqlConstants.MYSQL_NATIVE_PASSWORD;
        }

        @Override
        public String toString() {
            return PREFIX + HexFormat.of().withUpperCase().formatHex(stage2);
        }
    }

    /**
     * binlog-bridge's form for caching_sha2_password: {@code $sha2$} + HEX(SHA256(SHA256(password))). MySQL's own
     * stored form (a salted SHA-crypt) cannot check the fast-path scramble; MySQL checks that against an in-memory
     * cache of exactly this value, so the replayer keeps it in the file instead. The scramble is
     * SHA256(pw) XOR SHA256(stage2 + seed): XOR it away and the candidate SHA256(pw) must hash to stage2.
     */
    record CachingSha2Hash(byte[] stage2) implements StoredSecret {
        static final String PREFIX = "$sha2$";

        static boolean looksLike(String field) {
            return field.startsWith(PREFIX) && field.length() == PREFIX.length() + 64 && isHex(field.substring(PREFIX.length()));
        }

        static CachingSha2Hash parse(String field) {
            return new CachingSha2Hash(HexFormat.of().parseHex(field.substring(PREFIX.length())));
        }

        public static CachingSha2Hash of(String password) {
            return new CachingSha2Hash(sha256(sha256(password.getBytes(StandardCharsets.UTF_8))));
        }

        @Override
        public boolean verifiesScrambleOf(String plugin) {
            return MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin);
        }

        @Override
        public boolean matchesScramble(String plugin, byte[] seed, byte[] response) {
            if (!verifiesScrambleOf(plugin) || response.length != 32) {
                return false;
            }
            MessageDigest sha256 = Scrambles.digest("SHA-256");
            sha256.update(stage2);
            sha256.update(seed, 0, Math.min(seed.length, 20));
            byte[] stage1 = Scrambles.xor(response, sha256.digest());
            return MessageDigest.isEqual(sha256(stage1), stage2);
        }

        @Override
        public boolean matchesCleartext(byte[] password) {
            return MessageDigest.isEqual(sha256(sha256(password)), stage2);
        }

        @Override
        public String plugin() {
            return MySqlConstants.CACHING_SHA2_PASSWORD;
        }

        @Override
        public String toString() {
            return PREFIX + HexFormat.of().withUpperCase().formatHex(stage2);
        }
    }

    /**
     * caching_sha2_password's stored form in MySQL ({@code mysql.user.authentication_string}): {@code $A$}, the rounds
     * in thousands as 3 hex digits ({@code 005}), {@code $}, a 20-byte salt and the 43-character SHA-256-crypt digest of
     * the password. It checks a password, not a scramble: as in MySQL, the first login of a user is a full
     * authentication, which fills an in-memory cache of SHA256(SHA256(password)) that later fast-path scrambles are
     * checked against. The cache lives as long as this object: a reload of the users file empties it, as MySQL's
     * FLUSH PRIVILEGES does. The salt may hold any byte but NUL and {@code $} below 0x80 (colons, newlines), so the file
     * takes the hex form too: {@code 0x} + HEX(authentication_string), what {@code SELECT HEX(...)} prints.
     */
    final class CachingSha2Crypt implements StoredSecret {
        static final String PREFIX = "$A$";
        static final int SALT_LENGTH = 20;
        static final int DIGEST_LENGTH = 43;
        /** {@code $A$005$} + salt + digest. */
        static final int LENGTH = PREFIX.length() + 4 + SALT_LENGTH + DIGEST_LENGTH;
        private static final String HEX_PREFIX = "0x";

        private final byte[] stored;
        private final byte[] salt;
        private final String digest;
        private final int rounds;
        private final AtomicReference<byte[]> cachedStage2 = new AtomicReference<>();

        private CachingSha2Crypt(byte[] stored) {
            this.stored = stored;
            String text = new String(stored, StandardCharsets.ISO_8859_1);
            if (!text.startsWith(PREFIX) || text.charAt(PREFIX.length() + 3) != '$' || stored.length != LENGTH) {
                throw new IllegalArgumentException("not a caching_sha2_password hash ($A$005$ + 20-byte salt + 43 characters)");
            }
            int thousands;
            try {
                thousands = Integer.parseInt(text.substring(PREFIX.length(), PREFIX.length() + 3), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad rounds in a caching_sha2_password hash: " + text.substring(3, 6));
            }
            if (thousands < 5 || thousands > 0xFFF) {
                throw new IllegalArgumentException("bad rounds in a caching_sha2_password hash: " + text.substring(3, 6));
            }
            this.rounds = thousands * 1000;
            this.salt = Arrays.copyOfRange(stored, PREFIX.length() + 4, PREFIX.length() + 4 + SALT_LENGTH);
            this.digest = text.substring(LENGTH - DIGEST_LENGTH);
        }

        /** The raw form ({@code $A$}, a length of 70) or {@code 0x} + 140 hex digits. */
        static boolean looksLike(String field) {
            if (field.startsWith(HEX_PREFIX) || field.startsWith("0X")) {
                String hex = field.substring(2);
                return hex.length() == 2 * LENGTH && isHex(hex) && hex.regionMatches(true, 0, "244124", 0, 6);
            }
            return field.startsWith(PREFIX) && field.length() == LENGTH;
        }

        /**
         * How many characters of a users file field after the user's colon a raw {@code $A$} secret takes, so a colon in
         * its salt is not read as the start of the privileges; 0 when the field does not start with one.
         */
        static int rawLengthAtStartOf(String rest) {
            return rest.startsWith(PREFIX) && rest.length() >= LENGTH && (rest.length() == LENGTH || rest.charAt(LENGTH) == ':')
                    ? LENGTH : 0;
        }

        static CachingSha2Crypt parse(String field) {
            if (field.startsWith(PREFIX)) {
                return new CachingSha2Crypt(field.getBytes(StandardCharsets.ISO_8859_1));
            }
            return new CachingSha2Crypt(HexFormat.of().parseHex(field.substring(2)));
        }

        @Override
        public boolean verifiesScrambleOf(String plugin) {
            return MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin);
        }

        @Override
        public boolean matchesScramble(String plugin, byte[] seed, byte[] response) {
            byte[] stage2 = cachedStage2.get();
            return stage2 != null && new CachingSha2Hash(stage2).matchesScramble(plugin, seed, response);
        }

        @Override
        public boolean matchesCleartext(byte[] password) {
            String computed = Sha256Crypt.digest(password, salt, rounds);
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), digest.getBytes(StandardCharsets.US_ASCII))) {
                return false;
            }
            cachedStage2.set(sha256(sha256(password)));
            return true;
        }

        @Override
        public boolean fullAuthenticationOnMiss() {
            return true;
        }

        /** Whether a full authentication has filled the fast-path cache. */
        public boolean cached() {
            return cachedStage2.get() != null;
        }

        @Override
        public String plugin() {
            return MySqlConstants.CACHING_SHA2_PASSWORD;
        }

        /** The hex form: a raw salt may hold characters a line cannot. */
        @Override
        public String toString() {
            return HEX_PREFIX + HexFormat.of().withUpperCase().formatHex(stored);
        }
    }

    /** A password in the clear (the file format before hashes): checks both plugins; loaded with a warning. */
    record Plaintext(String password) implements StoredSecret {
        @Override
        public boolean verifiesScrambleOf(String plugin) {
            return MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin) || MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin);
        }

        @Override
        public boolean matchesScramble(String plugin, byte[] seed, byte[] response) {
            if (!verifiesScrambleOf(plugin)) {
                return false;
            }
            if (password.isEmpty()) {
                // Clients send nothing (or a lone NUL) for an empty password.
                return response.length == 0 || (response.length == 1 && response[0] == 0);
            }
            byte[] expected = MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin)
                    ? Scrambles.nativePassword(password, seed)
                    : Scrambles.cachingSha2Password(password, seed);
            return Scrambles.matches(expected, response);
        }

        @Override
        public boolean matchesCleartext(byte[] candidate) {
            return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), candidate);
        }

        @Override
        public String plugin() {
            return MySqlConstants.CACHING_SHA2_PASSWORD;
        }

        @Override
        public String toString() {
            return "<plaintext>";
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha1(byte[] in) {
        return Scrambles.digest("SHA-1").digest(in);
    }

    private static byte[] sha256(byte[] in) {
        return Scrambles.digest("SHA-256").digest(in);
    }
}
