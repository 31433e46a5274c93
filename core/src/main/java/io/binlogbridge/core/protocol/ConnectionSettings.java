package io.binlogbridge.core.protocol;

import io.binlogbridge.core.protocol.tls.ClientTls;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom {@link MySqlClient} connects.
 *
 * @param readTimeout how long one read may block during queries and the handshake; a binlog
 *                    dump usually replaces it through {@link PacketChannel#setReadTimeout(int)}
 *                    with a value derived from the heartbeat period.
 * @param tls         whether and how to switch to TLS (MySQL's --ssl-mode, --ssl-ca)
 */
public record ConnectionSettings(String host, int port, String user, String password,
                                 Duration connectTimeout, Duration readTimeout, ClientTls tls) {
    public static final int DEFAULT_PORT = 3306;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        password = password == null ? "" : password;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
        tls = tls == null ? ClientTls.DISABLED : tls;
        if (connectTimeout.isNegative() || readTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    /** A plain connection. */
    public ConnectionSettings(String host, int port, String user, String password, Duration connectTimeout, Duration readTimeout) {
        this(host, port, user, password, connectTimeout, readTimeout, ClientTls.DISABLED);
    }

    /** Default timeouts: 10 s to connect, 30 s per read. */
    public static ConnectionSettings of(String host, int port, String user, String password) {
        return new ConnectionSettings(host, port, user, password, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public ConnectionSettings withConnectTimeout(Duration timeout) {
        return new ConnectionSettings(host, port, user, password, timeout, readTimeout, tls);
    }

    public ConnectionSettings withReadTimeout(Duration timeout) {
        return new ConnectionSettings(host, port, user, password, connectTimeout, timeout, tls);
    }

    public ConnectionSettings withTls(ClientTls tls) {
        return new ConnectionSettings(host, port, user, password, connectTimeout, readTimeout, tls);
    }

    /** {@code host:port}, as error messages and logs name the source. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ConnectionSettings{" + user + "@" + address() + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", ssl-mode=" + tls.mode() + "}";
    }
}
