package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256CryptTest {
    /**
     * {@code SELECT HEX(authentication_string) FROM mysql.user} of users made on a real MySQL 8.0.15 (the tarball the ITs
     * run) by {@code CREATE USER 'u1'@'%' IDENTIFIED WITH caching_sha2_password BY 'Rsa-Secret-1'} and
     * {@code ... 'u2'@'%' ... BY 'password'}. The salts hold control characters (0x0A, 0x15, 0x06, ...), as MySQL's do.
     */
    static final String MYSQL_RSA_SECRET_1 = "244124303035244B0A312F273D4E150666391641232701402B3B5A53345832713636566D3032596A53766F762F4551566C775648746E484351314679796A3171526C53366144";
    static final String MYSQL_PASSWORD = "2441243030352471370563417159037B6927781E547E7C522F1F6347554D4B4D6A496F6A614A705637666E4138316D697A38644541454C75464C776A794B4347537158746833";

    @Test
    void matchesHashesMadeByMySql() {
        assertMySqlHash(MYSQL_RSA_SECRET_1, "Rsa-Secret-1");
        assertMySqlHash(MYSQL_PASSWORD, "password");
    }

    @Test
    void anotherPasswordGivesAnotherDigest() {
        byte[] stored = HexFormat.of().parseHex(MYSQL_PASSWORD);
        byte[] salt = Arrays.copyOfRange(stored, 7, 27);
        assertNotEquals(new String(stored, 27, 43, StandardCharsets.US_ASCII),
                Sha256Crypt.digest("passworD".getBytes(StandardCharsets.UTF_8), salt, 5000));
    }

    @Test
    void isTheSha256CryptOfOpenssl() {
        // openssl passwd -5 -salt saltstring 'Hello world!' and -salt toolongsaltstrin 'This is just a test' (OpenSSL 3),
        // the $5$ scheme at its default 5000 rounds, which MySQL's "005" is.
        assertEquals("5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", Sha256Crypt.digest(
                "Hello world!".getBytes(StandardCharsets.US_ASCII), "saltstring".getBytes(StandardCharsets.US_ASCII), 5000));
        assertEquals("Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5", Sha256Crypt.digest(
                "This is just a test".getBytes(StandardCharsets.US_ASCII), "toolongsaltstrin".getBytes(StandardCharsets.US_ASCII), 5000));
    }

    private static void assertMySqlHash(String hex, String password) {
        byte[] stored = HexFormat.of().parseHex(hex);
        assertEquals("$A$005$", new String(stored, 0, 7, StandardCharsets.US_ASCII));
        byte[] salt = Arrays.copyOfRange(stored, 7, 27);
        assertEquals(new String(stored, 27, 43, StandardCharsets.US_ASCII),
                Sha256Crypt.digest(password.getBytes(StandardCharsets.UTF_8), salt, 5000));
    }
}
