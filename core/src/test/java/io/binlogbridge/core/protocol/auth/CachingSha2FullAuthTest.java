package io.binlogbridge.core.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class CachingSha2FullAuthTest {

    @Test
    void xorRepeatsTheSeedAndIncludesTheNul() {
        byte[] seed = {1, 2, 3};
        assertArrayEquals(new byte[] {'a' ^ 1, 'b' ^ 2, 'c' ^ 3, 'd' ^ 1, 0 ^ 2}, CachingSha2FullAuth.xorWithSeed("abcd", seed));
        assertArrayEquals(new byte[] {1}, CachingSha2FullAuth.xorWithSeed("", seed));
    }

    @Test
    void acceptsX509AndPkcs1PemKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] spki = keys.getPublic().getEncoded();
        // A 2048-bit SubjectPublicKeyInfo is 24 bytes of header around the PKCS#1 RSAPublicKey.
        byte[] pkcs1 = Arrays.copyOfRange(spki, 24, spki.length);
        assertEquals(0x30, pkcs1[0]);

        String x509Pem = pem("PUBLIC KEY", spki);
        String pkcs1Pem = pem("RSA PUBLIC KEY", pkcs1);
        assertEquals(keys.getPublic(), CachingSha2FullAuth.parsePublicKey(x509Pem));
        assertEquals(keys.getPublic(), CachingSha2FullAuth.parsePublicKey(pkcs1Pem));

        byte[] seed = "abcdefghijklmnopqrst".getBytes();
        byte[] encrypted = CachingSha2FullAuth.encryptPassword("pw", seed, pkcs1Pem);
        Cipher cipher = Cipher.getInstance(CachingSha2FullAuth.RSA_TRANSFORMATION);
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        assertArrayEquals(CachingSha2FullAuth.xorWithSeed("pw", seed), cipher.doFinal(encrypted));
    }

    @Test
    void garbageKeyIsASecurityException() {
        assertThrows(GeneralSecurityException.class, () -> CachingSha2FullAuth.parsePublicKey("-----BEGIN PUBLIC KEY-----\n!!\n"));
        assertThrows(GeneralSecurityException.class, () -> CachingSha2FullAuth.parsePublicKey(""));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\r\n" + Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).encodeToString(der)
                + "\r\n-----END " + type + "-----\r\n";
    }
}
