package io.binlogbridge.core.protocol.auth;

/**
 * The two DER wrappers MySQL's RSA key files need before the JDK reads them: mysqld writes PKCS#1 ("BEGIN RSA PRIVATE
 * KEY", "BEGIN RSA PUBLIC KEY"), while the JDK's key factories read only PKCS#8 and X.509 SubjectPublicKeyInfo. Both
 * are the PKCS#1 body behind the rsaEncryption algorithm identifier.
 */
public final class RsaDer {
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
        0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private RsaDer() {}

    /** SubjectPublicKeyInfo { rsaEncryption, BIT STRING { the PKCS#1 RSAPublicKey } }, for X509EncodedKeySpec. */
    public static byte[] subjectPublicKeyInfoOf(byte[] pkcs1PublicKey) {
        byte[] bitString = concat(new byte[] {0x03}, length(pkcs1PublicKey.length + 1), new byte[] {0x00}, pkcs1PublicKey);
        return sequence(concat(RSA_ALGORITHM_IDENTIFIER, bitString));
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 RSAPrivateKey } }, for PKCS8EncodedKeySpec. */
    public static byte[] privateKeyInfoOf(byte[] pkcs1PrivateKey) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1PrivateKey.length), pkcs1PrivateKey);
        return sequence(concat(version, RSA_ALGORITHM_IDENTIFIER, octets));
    }

    private static byte[] sequence(byte[] body) {
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >>> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
