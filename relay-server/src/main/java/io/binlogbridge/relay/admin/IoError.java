package io.binlogbridge.relay.admin;

import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.core.replica.SourceCertificateException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * Why the relay last stopped reading its source, as SHOW REPLICA STATUS shows it in Last_IO_Errno and
 * Last_IO_Error: the source's own error code when it refused us, the client's 2003 when it could not be
 * reached, 2026 when its TLS certificate was refused, and {@link #ER_REPLICA_FATAL_ERROR} for everything the relay refused itself (a source that lacks
 * transactions of the log, another cluster).
 *
 * @param millis when it happened (Last_IO_Error_Timestamp)
 */
public record IoError(int errno, String message, long millis) {
    /** ER_REPLICA_FATAL_ERROR (mysqld_error.h), "Fatal error: %s". */
    public static final int ER_REPLICA_FATAL_ERROR = 13117;
    /** CR_CONN_HOST_ERROR (errmsg.h): the source could not be reached. */
    public static final int CR_CONN_HOST_ERROR = 2003;
    /** CR_SSL_CONNECTION_ERROR (errmsg.h): what a MySQL replica shows when the source's certificate does not verify. */
    public static final int CR_SSL_CONNECTION_ERROR = 2026;

    public static IoError of(Throwable failure, long millis) {
        int errno = ER_REPLICA_FATAL_ERROR;
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof SourceCertificateException) {
                errno = CR_SSL_CONNECTION_ERROR;
                break;
            }
            if (c instanceof MySqlServerException server) {
                errno = server.errorCode();
                break;
            }
            if (c instanceof ConnectException || c instanceof UnknownHostException) {
                errno = CR_CONN_HOST_ERROR;
                break;
            }
        }
        return new IoError(errno, failure.getMessage(), millis);
    }
}
