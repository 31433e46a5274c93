package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredSecretTest {
    static final byte[] SEED = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    static final String NATIVE = MySqlConstants.MYSQL_NATIVE_PASSWORD;
    static final String SHA2 = MySqlConstants.CACHING_SHA2_PASSWORD;

    @Test
    void nativeHashIsMySqlsPasswordFunction() {
        // SELECT PASSWORD('password') on MySQL 5.7; also mysql.user.authentication_string of such a user in 8.0.
        assertEquals("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", StoredSecret.NativePasswordHash.of("password").toString());
        assertInstanceOf(StoredSecret.NativePasswordHash.class, StoredSecret.parse("*2470c0c06dee42fd1618bb99005adca2ec9d1e19"));
    }

    @Test
    void nativeHashChecksTheClientsScrambleWithoutThePassword() {
        StoredSecret secret = StoredSecret.parse(StoredSecret.NativePasswordHash.of("s3cret:x").toString());
        assertTrue(secret.matchesScramble(NATIVE, SEED, Scrambles.nativePassword("s3cret:x", SEED)));
        assertFalse(secret.matchesScramble(NATIVE, SEED, Scrambles.nativePassword("s3cret:y", SEED)));
        assertFalse(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("s3cret:x", SEED)));
        assertFalse(secret.verifiesScrambleOf(SHA2));
        assertTrue(secret.matchesCleartext("s3cret:x".getBytes(StandardCharsets.UTF_8)));
        assertFalse(secret.matchesCleartext("s3cret".getBytes(StandardCharsets.UTF_8)));
        assertEquals(NATIVE, secret.plugin());
    }

    @Test
    void sha2HashChecksTheFastPathScrambleAndFullAuthentication() {
        String line = StoredSecret.CachingSha2Hash.of("pässword").toString();
        assertTrue(line.matches("\\$sha2\\$[0-9A-F]{64}"), line);
        StoredSecret secret = StoredSecret.parse(line);
        assertInstanceOf(StoredSecret.CachingSha2Hash.class, secret);
        assertTrue(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("pässword", SEED)));
        assertFalse(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("password", SEED)));
        assertFalse(secret.matchesScramble(NATIVE, SEED, Scrambles.nativePassword("pässword", SEED)));
        assertTrue(secret.matchesCleartext("pässword".getBytes(StandardCharsets.UTF_8)));
        assertFalse(secret.matchesCleartext(new byte[0]));
        assertEquals(SHA2, secret.plugin());
    }

    @Test
    void anythingElseIsAPlaintextPasswordCheckingBothPlugins() {
        StoredSecret secret = StoredSecret.parse("*not-a-hash");
        assertInstanceOf(StoredSecret.Plaintext.class, secret);
        assertTrue(secret.matchesScramble(NATIVE, SEED, Scrambles.nativePassword("*not-a-hash", SEED)));
        assertTrue(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("*not-a-hash", SEED)));
        assertInstanceOf(StoredSecret.Plaintext.class, StoredSecret.parse("$sha2$ABC"));
    }

    @Test
    void emptyPlaintextAcceptsAnEmptyAnswerOnly() {
        StoredSecret secret = StoredSecret.parse("");
        assertTrue(secret.matchesScramble(SHA2, SEED, new byte[0]));
        assertTrue(secret.matchesScramble(NATIVE, SEED, new byte[] {0}));
        assertFalse(secret.matchesScramble(NATIVE, SEED, Scrambles.nativePassword("x", SEED)));
    }

    @Test
    void mySqlsStoredFormChecksPasswordsAndThenTheFastPathFromItsCache() {
        StoredSecret secret = StoredSecret.parse("0x" + Sha256CryptTest.MYSQL_PASSWORD);
        assertInstanceOf(StoredSecret.CachingSha2Crypt.class, secret);
        assertTrue(secret.fullAuthenticationOnMiss());
        assertTrue(secret.verifiesScrambleOf(SHA2));
        assertFalse(secret.verifiesScrambleOf(NATIVE));
        assertFalse(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("password", SEED)), "nothing cached yet");
        assertFalse(secret.matchesCleartext("passworD".getBytes(StandardCharsets.UTF_8)));
        assertFalse(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("password", SEED)), "a wrong password caches nothing");
        assertTrue(secret.matchesCleartext("password".getBytes(StandardCharsets.UTF_8)));
        assertTrue(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("password", SEED)), "cached by the full authentication");
        assertFalse(secret.matchesScramble(SHA2, SEED, Scrambles.cachingSha2Password("passworD", SEED)));
        assertEquals("0x" + Sha256CryptTest.MYSQL_PASSWORD, secret.toString());
        assertFalse(((StoredSecret.CachingSha2Crypt) StoredSecret.parse(secret.toString())).cached(), "a reloaded file starts empty");
        assertInstanceOf(StoredSecret.Plaintext.class, StoredSecret.parse("0x2441"), "too short for the stored form");
    }
}
