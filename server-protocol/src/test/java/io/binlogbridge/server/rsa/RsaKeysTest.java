package io.binlogbridge.server.rsa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.auth.CachingSha2FullAuth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsaKeysTest {
    static final byte[] SEED = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    /** 2048-bit pairs take a while on a busy machine: made once. */
    static KeyPair a;
    static KeyPair b;

    @BeforeAll
    static void pairs() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        a = g.generateKeyPair();
        b = g.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void generatedKeyDecryptsWhatClientsSend() throws Exception {
        RsaKeys keys = RsaKeys.generate();
        assertEquals(256, keys.cipherLength());
        byte[] cipher = CachingSha2FullAuth.encryptPassword("pässword", SEED, keys.publicKeyPem());
        assertArrayEquals(CachingSha2FullAuth.xorWithSeed("pässword", SEED), keys.decrypt(cipher));
        assertNull(keys.decrypt(Arrays.copyOf(cipher, 255)), "not a cipher text of a 2048-bit key");
        byte[] other = CachingSha2FullAuth.encryptPassword("pässword", SEED, pem("PUBLIC KEY", b.getPublic().getEncoded()));
        assertNull(keys.decrypt(other), "another key's cipher text");
    }

    @Test
    void loadsPkcs8AndMySqlsPkcs1PrivateKeysAndAcceptsPkcs1Padding() throws Exception {
        KeyPair pair = a;
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        // PrivateKeyInfo: SEQUENCE(4) version(3) algorithm(15) OCTET STRING header(4), then the PKCS#1 key.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        // mysqld's own private_key.pem and public_key.pem end with a NUL byte after the END line.
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
        Path pub = Files.writeString(dir.resolve("public_key.pem"), publicPem + "\0");
        Path priv8 = Files.writeString(dir.resolve("pkcs8.pem"), pem("PRIVATE KEY", pkcs8));
        Path priv1 = Files.writeString(dir.resolve("private_key.pem"), pem("RSA PRIVATE KEY", pkcs1) + "\0");
        for (Path priv : new Path[] {priv8, priv1}) {
            RsaKeys keys = RsaKeys.load(priv, pub);
            assertEquals(publicPem, keys.publicKeyPem(), "sent as the file has it, BEGIN to END");
            byte[] oaep = CachingSha2FullAuth.encryptPassword("pw", SEED, keys.publicKeyPem());
            assertArrayEquals(CachingSha2FullAuth.xorWithSeed("pw", SEED), keys.decrypt(oaep));
            Cipher pkcs1Padding = Cipher.getInstance(RsaKeys.PKCS1);
            pkcs1Padding.init(Cipher.ENCRYPT_MODE, pair.getPublic());
            assertArrayEquals(new byte[] {1, 2, 3}, keys.decrypt(pkcs1Padding.doFinal(new byte[] {1, 2, 3})));
        }
    }

    @Test
    void mismatchedOrMalformedFilesAreNamed() throws Exception {
        Path privA = Files.writeString(dir.resolve("a.pem"), pem("PRIVATE KEY", a.getPrivate().getEncoded()));
        Path pubB = Files.writeString(dir.resolve("b.pub"), pem("PUBLIC KEY", b.getPublic().getEncoded()));
        RsaKeyException e = assertThrows(RsaKeyException.class, () -> RsaKeys.load(privA, pubB));
        assertEquals("the RSA public key " + pubB + " is not the one of the private key " + privA, e.getMessage());
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        e = assertThrows(RsaKeyException.class, () -> RsaKeys.load(cert, pubB));
        assertTrue(e.getMessage().startsWith("cannot load the RSA private key " + cert + ": "), e.getMessage());
        e = assertThrows(RsaKeyException.class, () -> RsaKeys.load(privA, dir.resolve("missing.pem")));
        assertTrue(e.getMessage().startsWith("cannot load the RSA public key " + dir.resolve("missing.pem")), e.getMessage());
    }
}
