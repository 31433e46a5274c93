package io.binlogbridge.it.access;

import io.binlogbridge.it.fixtures.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Certificates made with {@code openssl} at test time (none is committed): a CA, a server certificate it signs for
 * 127.0.0.1/localhost, and another CA that signed nothing here (a client trusting only it must refuse the server).
 * Public for the scenarios of other packages that run a server with TLS (relay-server's admin port, the connector's source).
 */
public final class Certificates {
    public final Path dir;
    public final Path ca;
    public final Path serverCert;
    public final Path serverKey;
    public final Path otherCa;

    private Certificates(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.otherCa = dir.resolve("other-ca.pem");
    }

    public static Certificates generate(Path dir) {
        Certificates c = new Certificates(dir);
        try {
            c.selfSignedCa("binlog-bridge test CA", c.ca, dir.resolve("ca-key.pem"));
            c.selfSignedCa("some other CA", c.otherCa, dir.resolve("other-ca-key.pem"));
            c.signServer(dir.resolve("ca-key.pem"), c.ca, c.serverCert, c.serverKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    /** A second server certificate and key, for 127.0.0.1, signed by {@link #otherCa} (a renewal by another CA). */
    Path[] renewedByOtherCa() {
        Path cert = dir.resolve("renewed.pem");
        Path key = dir.resolve("renewed-key.pem");
        try {
            signServer(dir.resolve("other-ca-key.pem"), otherCa, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Path[] {cert, key};
    }

    private void signServer(Path caKey, Path caCert, Path cert, Path key) throws IOException {
        Path ext = Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        // CN=127.0.0.1 too: MySQL 8.0.15's MASTER_SSL_VERIFY_SERVER_CERT compares the host with the CN.
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
    }

    /** A PKCS#12 trust store holding {@code caPem}, for Connector/J's trustCertificateKeyStoreUrl. */
    public Path trustStore(Path caPem, String name) {
        Path store = dir.resolve(name + ".p12");
        Processes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit"), dir.resolve("keytool-" + name + ".log"), Duration.ofSeconds(60));
        return store;
    }

    private void selfSignedCa(String cn, Path cert, Path key) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", key.toString(), "-out", cert.toString());
    }

    private void openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Processes.run(cmd, dir.resolve("openssl.log"), Duration.ofSeconds(60));
    }
}
