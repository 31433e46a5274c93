package io.binlogbridge.core.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for a client connection to a MySQL server, as MySQL's {@code --ssl-mode} and {@code --ssl-ca} set it up: the
 * JDK's TLS (1.2 and 1.3) over an already connected socket, after the client sent its SSLRequest.
 *
 * @param ca PEM file of the CA certificates; required by VERIFY_CA and VERIFY_IDENTITY, ignored otherwise
 */
public record ClientTls(SslMode mode, Path ca) {
    public static final ClientTls DISABLED = new ClientTls(SslMode.DISABLED, null);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public ClientTls {
        Objects.requireNonNull(mode, "mode");
        if (mode.verifiesCertificate() && ca == null) {
            throw new IllegalArgumentException("ssl mode " + mode + " needs a CA file");
        }
    }

    /**
     * Runs the TLS handshake over {@code plain} (connected to {@code host}) and returns the TLS socket to use instead.
     *
     * @throws IOException the handshake failed, the certificate was refused, or the CA file cannot be read
     */
    public SSLSocket wrap(Socket plain, String host, int port) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS with CA " + ca + ": " + e.getMessage(), e);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        if (mode == SslMode.VERIFY_IDENTITY) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // host name or IP address against the SAN
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        if (!mode.verifiesCertificate()) {
            return new TrustManager[] {TrustAnyCertificate.INSTANCE};
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(ca)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + ca);
        }
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** PREFERRED and REQUIRED encrypt without checking who answers, as MySQL's modes of those names do. */
    private enum TrustAnyCertificate implements X509TrustManager {
        INSTANCE;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
