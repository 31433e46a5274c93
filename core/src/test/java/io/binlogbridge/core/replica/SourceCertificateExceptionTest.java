package io.binlogbridge.core.replica;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class SourceCertificateExceptionTest {
    @Test
    void aRefusedCertificateIsFoundUnderTheHandshakeFailure() {
        CertificateException refused = new CertificateException("No subject alternative names matching IP address 127.0.0.1 found");
        SSLHandshakeException handshake = new SSLHandshakeException("No subject alternative names matching IP address 127.0.0.1 found");
        handshake.initCause(refused);
        IOException wrapped = new IOException("handshake with source 127.0.0.1:3306 failed: " + handshake.getMessage(), handshake);
        assertSame(refused, SourceCertificateException.certificateFailure(wrapped));
    }

    @Test
    void otherConnectionFailuresAreNotCertificateFailures() {
        assertNull(SourceCertificateException.certificateFailure(new IOException("cannot connect", new ConnectException("refused"))));
        assertNull(SourceCertificateException.certificateFailure(new SSLHandshakeException("Remote host terminated the handshake")));
    }
}
