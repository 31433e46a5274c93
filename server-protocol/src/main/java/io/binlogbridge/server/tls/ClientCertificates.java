package io.binlogbridge.server.tls;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Whether a connection's client presented a certificate that the server verified: what MySQL's {@code REQUIRE X509}
 * asks of an account. The server asks for one only with {@code --tls-ca}, and a presented certificate that does not
 * chain to that CA fails the TLS handshake itself, so a certificate in the session is a verified one.
 */
public final class ClientCertificates {
    private ClientCertificates() {}

    /** @param tls the connection's TLS handler, null on a plain connection */
    public static boolean verified(SslHandler tls) {
        if (tls == null) {
            return false;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain != null && chain.length > 0;
        } catch (SSLPeerUnverifiedException none) {
            return false;
        }
    }
}
