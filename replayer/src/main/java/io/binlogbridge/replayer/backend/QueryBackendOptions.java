package io.binlogbridge.replayer.backend;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.OptionType;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.tls.ClientTls;
import io.binlogbridge.core.protocol.tls.ClientTlsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The replayer's {@code --query-backend*} options, declared and parsed here. */
public final class QueryBackendOptions {
    public static final String QUERY_BACKEND = "query-backend";
    public static final String USER = "query-backend-user";
    public static final String PASSWORD_FILE = "query-backend-password-file";
    public static final String SSL_MODE = "query-backend-ssl-mode";
    public static final String SSL_CA = "query-backend-ssl-ca";
    /** One read from the backend may wait this long: a table read can take minutes to send its first row. */
    static final Duration READ_TIMEOUT = Duration.ofHours(1);

    private QueryBackendOptions() {}

    public static OptionSet declare(OptionSet options) {
        return options
                .optional(QUERY_BACKEND, OptionType.STRING, "HOST:PORT of a MySQL server (a replica of the source, normally) that answers "
                        + "what the log cannot: table reads, SHOW CREATE TABLE, SHOW DATABASES/TABLES, consistent-snapshot transactions "
                        + "and locks, as Debezium's snapshot needs (docs/cdc.md). Each client connection gets a backend connection of its "
                        + "own. Without it such statements get ERROR 1235.")
                .optional(USER, OptionType.STRING, "User on --" + QUERY_BACKEND + " (SELECT, SHOW VIEW, RELOAD or LOCK TABLES for snapshots).")
                .optional(PASSWORD_FILE, OptionType.STRING, "File holding the --" + USER + " password (one line). Without it the password is empty.")
                .withDefault(SSL_MODE, OptionType.STRING, "DISABLED", "TLS to --" + QUERY_BACKEND + ", as MySQL's --ssl-mode "
                        + "(DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY) and the relay's --source-ssl-mode.")
                .optional(SSL_CA, OptionType.STRING, "PEM file of the CA that signed the backend's certificate; needed by VERIFY_CA and VERIFY_IDENTITY.");
    }

    /** The backend to connect to, null without --query-backend. */
    public static ConnectionSettings parse(Options o) throws OptionException {
        if (!o.has(QUERY_BACKEND)) {
            for (String dependent : new String[] {USER, PASSWORD_FILE, SSL_CA}) {
                if (o.has(dependent)) {
                    throw new OptionException("--" + dependent + " needs --" + QUERY_BACKEND);
                }
            }
            return null;
        }
        String address = o.string(QUERY_BACKEND);
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = ConnectionSettings.DEFAULT_PORT;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new OptionException("--" + QUERY_BACKEND + " must be HOST:PORT, got " + address);
        }
        if (!o.has(USER)) {
            throw new OptionException("--" + QUERY_BACKEND + " needs --" + USER);
        }
        String password = "";
        if (o.has(PASSWORD_FILE)) {
            Path file = Path.of(o.string(PASSWORD_FILE));
            try {
                password = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new OptionException("cannot read --" + PASSWORD_FILE + " " + file + ": " + e.getMessage());
            }
        }
        return new ConnectionSettings(host, port, o.string(USER), password, ConnectionSettings.DEFAULT_CONNECT_TIMEOUT,
                READ_TIMEOUT, tls(o));
    }

    private static ClientTls tls(Options o) throws OptionException {
        try {
            return ClientTlsOptions.parse("--" + SSL_MODE, o.string(SSL_MODE), "--" + SSL_CA, o.optional(SSL_CA).orElse(null));
        } catch (ClientTlsOptions.InvalidOption e) {
            throw new OptionException(e.getMessage());
        }
    }
}
