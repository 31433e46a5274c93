package io.binlogbridge.server.rsa;

import io.binlogbridge.core.protocol.auth.RsaDer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA key pair of caching_sha2_password's full authentication without TLS (MySQL's
 * {@code caching_sha2_password_private_key_path} / {@code _public_key_path}): a client asks for the public key
 * ({@code 0x02}), gets it as PEM text, and sends its password (NUL-terminated, XOR the connection's seed) encrypted
 * with it; only this private key reads it.
 */
public final class RsaKeys {
    private static final Logger LOG = LoggerFactory.getLogger(RsaKeys.class);
    /** What MySQL 8.0.5+ and its clients use for caching_sha2_password. */
    static final String OAEP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    /** What clients of servers before 8.0.5 use (sha256_password's padding); accepted as well. */
    static final String PKCS1 = "RSA/ECB/PKCS1Padding";
    private static final int GENERATED_BITS = 2048;

    private final PrivateKey privateKey;
    private final String publicKeyPem;
    private final int cipherLength;

    private RsaKeys(PrivateKey privateKey, String publicKeyPem) {
        this.privateKey = privateKey;
        this.publicKeyPem = publicKeyPem;
        this.cipherLength = (((RSAKey) privateKey).getModulus().bitLength() + 7) / 8;
    }

    /**
     * Reads a PEM private key (PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}, what MySQL's
     * own {@code private_key.pem} holds) and its PEM public key ({@code BEGIN PUBLIC KEY}, sent to clients as the file
     * has it, from its BEGIN line to its END line: mysqld's own files end with a NUL byte).
     *
     * @throws RsaKeyException naming the file that does not load, or the pair that does not match
     */
    public static RsaKeys load(Path privateKeyFile, Path publicKeyFile) throws RsaKeyException {
        PrivateKey privateKey;
        PublicKey publicKey;
        String publicPem;
        try {
            privateKey = privateKey(Files.readString(privateKeyFile, StandardCharsets.US_ASCII));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new RsaKeyException("cannot load the RSA private key " + privateKeyFile + ": " + e.getMessage(), e);
        }
        try {
            publicPem = block(Files.readString(publicKeyFile, StandardCharsets.US_ASCII), "PUBLIC KEY");
            if (publicPem == null) {
                throw new IllegalArgumentException("expected '-----BEGIN PUBLIC KEY-----' (X.509 SubjectPublicKeyInfo), as MySQL sends");
            }
            publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(publicPem)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new RsaKeyException("cannot load the RSA public key " + publicKeyFile + ": " + e.getMessage(), e);
        }
        if (!((RSAKey) privateKey).getModulus().equals(((RSAKey) publicKey).getModulus())) {
            throw new RsaKeyException("the RSA public key " + publicKeyFile + " is not the one of the private key " + privateKeyFile);
        }
        return new RsaKeys(privateKey, publicPem);
    }

    /** A new 2048-bit pair, as MySQL makes one at start when it has no key files. */
    public static RsaKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(GENERATED_BITS);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            return new RsaKeys(pair.getPrivate(), pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA keys", e);
        }
    }

    /** A pair generated the first time one is needed (servers that rarely need it, such as the relay's admin port). */
    public static Supplier<RsaKeys> generatedOnFirstUse(String what) {
        return new Supplier<>() {
            private RsaKeys keys;

            @Override
            public synchronized RsaKeys get() {
                if (keys == null) {
                    keys = generate();
                    LOG.info("{}: generated a {}-bit RSA key pair for caching_sha2_password without TLS", what, GENERATED_BITS);
                }
                return keys;
            }
        };
    }

    /** The public key as PEM text, what a client that asked for it receives. */
    public String publicKeyPem() {
        return publicKeyPem;
    }

    /** The length of every cipher text of this key (256 for 2048 bits). */
    public int cipherLength() {
        return cipherLength;
    }

    /** The plain text of {@code cipher}, or null when it is not a cipher text of this key. */
    public byte[] decrypt(byte[] cipher) {
        if (cipher.length != cipherLength) {
            return null;
        }
        for (String transformation : new String[] {OAEP, PKCS1}) {
            try {
                Cipher c = Cipher.getInstance(transformation);
                c.init(Cipher.DECRYPT_MODE, privateKey);
                return c.doFinal(cipher);
            } catch (GeneralSecurityException wrongPaddingOrKey) {
                // The next padding, or not ours.
            }
        }
        return null;
    }

    private static PrivateKey privateKey(String file) throws GeneralSecurityException {
        String pkcs1 = block(file, "RSA PRIVATE KEY");
        String pkcs8 = block(file, "PRIVATE KEY");
        if (pkcs1 == null && pkcs8 == null) {
            throw new IllegalArgumentException("expected '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----' (unencrypted)");
        }
        byte[] der = pkcs1 != null ? RsaDer.privateKeyInfoOf(der(pkcs1)) : der(pkcs8);
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The PEM block of {@code type}, BEGIN to END line, or null when the text has none. */
    private static String block(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        return to < 0 ? null : text.substring(from, to + end.length()).replace("\r\n", "\n") + "\n";
    }

    private static byte[] der(String pem) {
        StringBuilder base64 = new StringBuilder();
        for (String line : pem.split("\r?\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("-----")) {
                base64.append(l);
            }
        }
        byte[] der = Base64.getDecoder().decode(base64.toString());
        if (der.length == 0) {
            throw new IllegalArgumentException("no key in the file");
        }
        return der;
    }
}
