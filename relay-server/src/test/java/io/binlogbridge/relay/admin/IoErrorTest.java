package io.binlogbridge.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.replica.SourceCertificateException;
import io.binlogbridge.core.replica.SourceException;
import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import org.junit.jupiter.api.Test;

class IoErrorTest {
    @Test
    void errnoAsAMySqlReplicaShowsIt() {
        assertEquals(IoError.CR_CONN_HOST_ERROR,
                IoError.of(new SourceException("cannot connect", true, new ConnectException("refused")), 0).errno());
        assertEquals(IoError.ER_REPLICA_FATAL_ERROR, IoError.of(new SourceException("lacks 3 transactions", false, null), 0).errno());
        assertEquals(IoError.CR_SSL_CONNECTION_ERROR, IoError.of(new SourceCertificateException("cannot verify the TLS certificate",
                new IOException("handshake failed", new CertificateException("PKIX path building failed"))), 0).errno());
    }
}
