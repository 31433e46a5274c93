package io.binlogbridge.core.protocol;

import static io.binlogbridge.core.protocol.MySqlConstants.AUTH_MORE_DATA;
import static io.binlogbridge.core.protocol.MySqlConstants.AUTH_SWITCH_REQUEST;
import static io.binlogbridge.core.protocol.MySqlConstants.BINLOG_THROUGH_GTID;
import static io.binlogbridge.core.protocol.MySqlConstants.CACHING_SHA2_PASSWORD;
import static io.binlogbridge.core.protocol.MySqlConstants.CACHING_SHA2_FAST_AUTH_SUCCESS;
import static io.binlogbridge.core.protocol.MySqlConstants.CACHING_SHA2_PERFORM_FULL_AUTHENTICATION;
import static io.binlogbridge.core.protocol.MySqlConstants.CACHING_SHA2_REQUEST_PUBLIC_KEY;
import static io.binlogbridge.core.protocol.MySqlConstants.CHARSET_UTF8MB4_GENERAL_CI;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_LONG_FLAG;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_LONG_PASSWORD;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_MULTI_RESULTS;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_PLUGIN_AUTH;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_PROTOCOL_41;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_SECURE_CONNECTION;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_SSL;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_TRANSACTIONS;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_BINLOG_DUMP;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_BINLOG_DUMP_GTID;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_PING;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_QUERY;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_QUIT;
import static io.binlogbridge.core.protocol.MySqlConstants.COM_REGISTER_SLAVE;
import static io.binlogbridge.core.protocol.MySqlConstants.EOF_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.ERR_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.LOCAL_INFILE_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.MAX_PACKET_LENGTH;
import static io.binlogbridge.core.protocol.MySqlConstants.MYSQL_NATIVE_PASSWORD;
import static io.binlogbridge.core.protocol.MySqlConstants.OK_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.SERVER_MORE_RESULTS_EXISTS;
import static io.binlogbridge.core.protocol.MySqlConstants.SQLSTATE_GENERAL;

import io.binlogbridge.core.protocol.auth.CachingSha2FullAuth;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import io.binlogbridge.core.protocol.tls.SslMode;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica side of the MySQL protocol: connects and authenticates like a replica IO thread,
 * runs the text queries a replica needs, registers, and starts a binlog dump whose packets the
 * caller then reads from {@link #channel()}.
 *
 * <p>Deliberately minimal: no TLS (hence the RSA exchange of {@code caching_sha2_password}), no
 * CLIENT_DEPRECATE_EOF (result sets end with classic EOF packets), no prepared statements. One
 * thread at a time.
 */
public final class MySqlClient implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(MySqlClient.class);

    /** What the client would like; intersected with the server's capabilities. */
    static final int CLIENT_CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

    /** Largest packet the client announces it accepts; the server splits larger payloads anyway. */
    private static final int MAX_PACKET_SIZE = MAX_PACKET_LENGTH + 1;

    private final ConnectionSettings settings;
    private final PacketChannel channel;
    private final ServerGreeting greeting;
    private final PayloadWriter writer = new PayloadWriter(256);
    private boolean closed;
    /** The connection is TLS: caching_sha2_password full authentication sends the password as it is. */
    private final boolean secure;

    private MySqlClient(ConnectionSettings settings, PacketChannel channel, ServerGreeting greeting, boolean secure) {
        this.settings = settings;
        this.channel = channel;
        this.greeting = greeting;
        this.secure = secure;
    }

    /**
     * Opens a TCP connection and authenticates.
     *
     * @throws MySqlServerException the server refused (e.g. 1045 Access denied, with its own text)
     * @throws ProtocolException    the server spoke something this client does not understand,
     *                              including an authentication plugin it does not implement
     * @throws IOException          the source could not be reached, or the connection broke
     */
    public static MySqlClient connect(ConnectionSettings settings) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), (int) settings.connectTimeout().toMillis());
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(socket);
            String reason = e instanceof UnknownHostException ? "unknown host " + e.getMessage()
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new IOException("cannot connect to source " + settings.address() + ": " + reason, e);
        }
        try {
            socket.setSoTimeout((int) settings.readTimeout().toMillis());
            PacketChannel channel = new PacketChannel(socket);
            ServerGreeting greeting = readGreeting(channel);
            log.debug("connected to {}: {}", settings.address(), greeting);
            boolean secure = false;
            if (settings.tls().mode() != SslMode.DISABLED) {
                if ((greeting.capabilities() & CLIENT_SSL) != 0) {
                    channel.writePayload(sslRequest(CLIENT_CAPABILITIES & greeting.capabilities()));
                    int next = channel.sequence();
                    SSLSocket tls = settings.tls().wrap(socket, settings.host(), settings.port());
                    socket = tls;
                    channel = new PacketChannel(tls);
                    channel.expectSequence(next);
                    secure = true;
                    log.debug("{}: TLS {} {}", settings.address(), tls.getSession().getProtocol(), tls.getSession().getCipherSuite());
                } else if (settings.tls().mode().requiresTls()) {
                    throw new ProtocolException("source " + settings.address() + " does not offer TLS (ssl mode " + settings.tls().mode() + ")");
                }
            }
            MySqlClient client = new MySqlClient(settings, channel, greeting, secure);
            client.authenticate();
            return client;
        } catch (MySqlServerException | ProtocolException e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new IOException("handshake with source " + settings.address() + " timed out after "
                    + settings.readTimeout().toMillis() + " ms", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new IOException("handshake with source " + settings.address() + " failed: " + e.getMessage(), e);
        }
    }

    private static ServerGreeting readGreeting(PacketChannel channel) throws IOException {
        byte[] payload = channel.readPayload();
        if (payload.length > 0 && (payload[0] & 0xFF) == ERR_HEADER) {
            // E.g. 1040 Too many connections, or 1130 Host '…' is not allowed to connect.
            throw parseErr(payload);
        }
        return ServerGreeting.parse(payload);
    }

    private void authenticate() throws IOException {
        int capabilities = CLIENT_CAPABILITIES & greeting.capabilities() | (secure ? CLIENT_SSL : 0);
        if ((capabilities & CLIENT_PROTOCOL_41) == 0) {
            throw new ProtocolException("server " + greeting.serverVersion() + " does not support protocol 4.1");
        }
        String plugin = greeting.authPluginName();
        byte[] seed = greeting.authSeed();
        if (!isSupportedPlugin(plugin)) {
            // The server will switch us to the user's plugin anyway; start with the most common one.
            plugin = MYSQL_NATIVE_PASSWORD;
        }
        channel.writePayload(handshakeResponse(capabilities, settings.user(), scramble(plugin, seed), plugin));

        boolean awaitingPublicKey = false;
        while (true) {
            byte[] p = channel.readPayload();
            if (p.length == 0) {
                throw new ProtocolException("empty packet during authentication");
            }
            int header = p[0] & 0xFF;
            if (header == OK_HEADER) {
                return;
            } else if (header == ERR_HEADER) {
                throw parseErr(p);
            } else if (header == AUTH_SWITCH_REQUEST) {
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                if (!r.hasRemaining()) {
                    // The pre-4.1 switch to mysql_old_password: no plugin name at all.
                    throw new ProtocolException("server asked for the old (pre-4.1) password hash, which is not supported");
                }
                plugin = r.readNulTerminatedStringOrRest();
                seed = r.readRestOfPacket();
                if (seed.length > 0 && seed[seed.length - 1] == 0) {
                    seed = Arrays.copyOf(seed, seed.length - 1);
                }
                if (!isSupportedPlugin(plugin)) {
                    throw new ProtocolException("server requires authentication plugin '" + plugin + "' for user '"
                            + settings.user() + "', which is not supported (supported: " + MYSQL_NATIVE_PASSWORD + ", "
                            + CACHING_SHA2_PASSWORD + ")");
                }
                log.debug("{}: server switched authentication to {}", settings.address(), plugin);
                channel.writePayload(scramble(plugin, seed));
                awaitingPublicKey = false;
            } else if (header == AUTH_MORE_DATA && CACHING_SHA2_PASSWORD.equals(plugin)) {
                if (awaitingPublicKey) {
                    String pem = new String(p, 1, p.length - 1, StandardCharsets.US_ASCII);
                    try {
                        channel.writePayload(CachingSha2FullAuth.encryptPassword(settings.password(), seed, pem));
                    } catch (GeneralSecurityException e) {
                        throw new ProtocolException("cannot encrypt the password with the server's RSA public key: " + e.getMessage(), e);
                    }
                    awaitingPublicKey = false;
                } else if (p.length == 2 && p[1] == CACHING_SHA2_FAST_AUTH_SUCCESS) {
                    // The scramble matched the server's cache; OK follows.
                    log.debug("{}: caching_sha2_password fast authentication", settings.address());
                    continue;
                } else if (p.length == 2 && p[1] == CACHING_SHA2_PERFORM_FULL_AUTHENTICATION && secure) {
                    // Inside TLS the password goes as it is, NUL-terminated, as MySQL's client sends it.
                    log.debug("{}: caching_sha2_password full authentication over TLS", settings.address());
                    byte[] password = settings.password().getBytes(StandardCharsets.UTF_8);
                    channel.writePayload(Arrays.copyOf(password, password.length + 1));
                } else if (p.length == 2 && p[1] == CACHING_SHA2_PERFORM_FULL_AUTHENTICATION) {
                    // No TLS, so the password must go RSA-encrypted; ask for the key to do it.
                    log.debug("{}: caching_sha2_password full authentication with the server's RSA key", settings.address());
                    channel.writePayload(new byte[] {CACHING_SHA2_REQUEST_PUBLIC_KEY});
                    awaitingPublicKey = true;
                } else {
                    throw new ProtocolException("unexpected caching_sha2_password data 0x" + hex(p, 1, Math.min(p.length, 9)));
                }
            } else {
                throw new ProtocolException("unexpected packet 0x" + Integer.toHexString(header) + " during " + plugin
                        + " authentication");
            }
        }
    }

    private static boolean isSupportedPlugin(String plugin) {
        return MYSQL_NATIVE_PASSWORD.equals(plugin) || CACHING_SHA2_PASSWORD.equals(plugin);
    }

    private byte[] scramble(String plugin, byte[] seed) {
        return CACHING_SHA2_PASSWORD.equals(plugin)
                ? Scrambles.cachingSha2Password(settings.password(), seed)
                : Scrambles.nativePassword(settings.password(), seed);
    }

    /** Protocol::SSLRequest: the first 32 bytes of a HandshakeResponse41, with CLIENT_SSL. */
    public static byte[] sslRequest(int capabilities) {
        return new PayloadWriter(32).writeInt4((capabilities | CLIENT_SSL) & 0xFFFFFFFFL).writeInt4(MAX_PACKET_SIZE)
                .writeInt1(CHARSET_UTF8MB4_GENERAL_CI).writeZeros(23).toByteArray();
    }

    /** Protocol::HandshakeResponse41 without database or connection attributes. */
    public static byte[] handshakeResponse(int capabilities, String user, byte[] authResponse, String plugin) {
        PayloadWriter w = new PayloadWriter(128);
        w.writeInt4(capabilities & 0xFFFFFFFFL)
                .writeInt4(MAX_PACKET_SIZE)
                .writeInt1(CHARSET_UTF8MB4_GENERAL_CI)
                .writeZeros(23)
                .writeNulTerminatedString(user);
        if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            w.writeLengthEncodedBytes(authResponse);
        } else if ((capabilities & CLIENT_SECURE_CONNECTION) != 0) {
            w.writeInt1(authResponse.length).writeBytes(authResponse);
        } else {
            w.writeBytes(authResponse).writeInt1(0);
        }
        if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
            w.writeNulTerminatedString(plugin);
        }
        return w.toByteArray();
    }

    public ServerGreeting greeting() {
        return greeting;
    }

    public boolean isMariaDb() {
        return greeting.isMariaDb();
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** The framed socket, for streaming binlog events after {@link #sendBinlogDump} and friends. */
    public PacketChannel channel() {
        return channel;
    }

    /**
     * Runs a statement with COM_QUERY and returns its (first) result set; a statement without one
     * (SET, DDL, DML) gives an empty result.
     *
     * @throws MySqlServerException the server answered with ERR
     */
    public QueryResult query(String sql) throws IOException {
        sendCommand(COM_QUERY, sql);
        return readResults(true).result;
    }

    /**
     * Runs a statement that is not expected to return rows and returns the affected-rows count. A
     * result set, if the statement produces one, is read and discarded.
     */
    public long execute(String sql) throws IOException {
        sendCommand(COM_QUERY, sql);
        return readResults(false).affectedRows;
    }

    public void ping() throws IOException {
        channel.resetSequence();
        channel.writePayload(new byte[] {(byte) COM_PING});
        expectOk("COM_PING");
    }

    /**
     * COM_REGISTER_SLAVE, as a replica IO thread sends it before the dump, so the source lists this
     * client in SHOW REPLICAS. The report user and password are left empty, as MySQL's replica does
     * unless configured otherwise.
     */
    public void registerReplica(int serverId, String reportHost, int reportPort) throws IOException {
        byte[] host = (reportHost == null ? "" : reportHost).getBytes(StandardCharsets.UTF_8);
        if (host.length > 255) {
            throw new IllegalArgumentException("report host longer than 255 bytes: " + reportHost);
        }
        if (reportPort < 0 || reportPort > 65535) {
            throw new IllegalArgumentException("report port out of range: " + reportPort);
        }
        PayloadWriter w = writer.reset();
        w.writeInt1(COM_REGISTER_SLAVE)
                .writeInt4(serverId & 0xFFFFFFFFL)
                .writeInt1(host.length).writeBytes(host)
                .writeInt1(0) // report user
                .writeInt1(0) // report password
                .writeInt2(reportPort)
                .writeInt4(0) // replication rank, unused by the server
                .writeInt4(0); // master id, filled in by the server
        channel.resetSequence();
        channel.writePayload(w.array(), 0, w.size());
        expectOk("COM_REGISTER_SLAVE");
    }

    /**
     * Sends COM_BINLOG_DUMP and returns at once: the caller reads the event stream from
     * {@link #channel()} (0x00 + event, EOF when {@code BINLOG_DUMP_NON_BLOCK} reaches the end, ERR).
     */
    public void sendBinlogDump(String file, long position, int serverId, int flags) throws IOException {
        if (position < 0 || position > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("COM_BINLOG_DUMP carries a 4-byte position; " + position
                    + " needs COM_BINLOG_DUMP_GTID");
        }
        PayloadWriter w = writer.reset();
        w.writeInt1(COM_BINLOG_DUMP)
                .writeInt4(position)
                .writeInt2(flags)
                .writeInt4(serverId & 0xFFFFFFFFL)
                .writeString(file == null ? "" : file);
        channel.resetSequence();
        channel.writePayload(w.array(), 0, w.size());
    }

    /**
     * Sends COM_BINLOG_DUMP_GTID (MySQL only) and returns at once, like {@link #sendBinlogDump}.
     *
     * @param encodedGtidSet the GTID set in MySQL's binary encoding; required when {@code flags}
     *                       has {@code BINLOG_THROUGH_GTID}, ignored otherwise
     */
    public void sendBinlogDumpGtid(String file, long position, int serverId, int flags, byte[] encodedGtidSet) throws IOException {
        byte[] name = (file == null ? "" : file).getBytes(StandardCharsets.UTF_8);
        boolean throughGtid = (flags & BINLOG_THROUGH_GTID) != 0;
        if (throughGtid && encodedGtidSet == null) {
            throw new IllegalArgumentException("BINLOG_THROUGH_GTID needs an encoded GTID set");
        }
        PayloadWriter w = writer.reset();
        w.writeInt1(COM_BINLOG_DUMP_GTID)
                .writeInt2(flags)
                .writeInt4(serverId & 0xFFFFFFFFL)
                .writeInt4(name.length).writeBytes(name)
                .writeInt8(position);
        if (throughGtid) {
            w.writeInt4(encodedGtidSet.length).writeBytes(encodedGtidSet);
        }
        channel.resetSequence();
        channel.writePayload(w.array(), 0, w.size());
    }

    /** Best effort COM_QUIT, then closes the socket. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.resetSequence();
            channel.writePayload(new byte[] {(byte) COM_QUIT});
        } catch (IOException e) {
            // The server may already be gone; the socket is closed below either way.
        } finally {
            channel.close();
        }
    }

    /** Protocol::ERR_Packet (4.1 format; the SQL state marker is absent in pre-handshake errors). */
    public static MySqlServerException parseErr(byte[] payload) {
        if (payload.length < 3 || (payload[0] & 0xFF) != ERR_HEADER) {
            return new MySqlServerException(MySqlConstants.ER_MALFORMED_PACKET, SQLSTATE_GENERAL,
                    "malformed ERR packet: " + hex(payload, 0, Math.min(payload.length, 16)));
        }
        int code = (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        int off = 3;
        String state = SQLSTATE_GENERAL;
        if (payload.length >= 9 && payload[3] == '#') {
            state = new String(payload, 4, 5, StandardCharsets.US_ASCII);
            off = 9;
        }
        return new MySqlServerException(code, state, new String(payload, off, payload.length - off, StandardCharsets.UTF_8));
    }

    /** An EOF packet: 0xFE with fewer than 9 bytes (a longer one is a row or lenenc value starting with 0xFE). */
    public static boolean isEof(byte[] payload) {
        return payload.length > 0 && payload.length < 9 && (payload[0] & 0xFF) == EOF_HEADER;
    }

    public static boolean isOk(byte[] payload) {
        return payload.length >= 7 && payload[0] == OK_HEADER;
    }

    public static boolean isErr(byte[] payload) {
        return payload.length > 0 && (payload[0] & 0xFF) == ERR_HEADER;
    }

    private void sendCommand(int command, String argument) throws IOException {
        PayloadWriter w = writer.reset();
        w.writeInt1(command).writeString(argument);
        channel.resetSequence();
        channel.writePayload(w.array(), 0, w.size());
    }

    private void expectOk(String command) throws IOException {
        byte[] p = channel.readPayload();
        if (isErr(p)) {
            throw parseErr(p);
        }
        if (p.length == 0 || p[0] != OK_HEADER) {
            throw new ProtocolException("expected OK after " + command + ", got 0x" + hex(p, 0, Math.min(p.length, 16)));
        }
    }

    private record Results(QueryResult result, long affectedRows) {}

    /**
     * Reads every result of one COM_QUERY. CLIENT_MULTI_RESULTS lets a statement (a CALL, say)
     * return several; all must be read to keep the connection in step, only the first is kept.
     */
    private Results readResults(boolean keepRows) throws IOException {
        QueryResult first = null;
        long affected = 0;
        boolean more = true;
        while (more) {
            byte[] p = channel.readPayload();
            if (p.length == 0) {
                throw new ProtocolException("empty response to COM_QUERY");
            }
            int header = p[0] & 0xFF;
            if (header == ERR_HEADER) {
                throw parseErr(p);
            } else if (header == OK_HEADER) {
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                long rows = r.readLengthEncodedInt();
                r.readLengthEncodedInt(); // last insert id
                int status = r.readInt2();
                if (first == null) {
                    first = QueryResult.EMPTY;
                    affected = rows;
                }
                more = (status & SERVER_MORE_RESULTS_EXISTS) != 0;
            } else if (header == LOCAL_INFILE_HEADER) {
                throw new ProtocolException("server requested LOAD DATA LOCAL INFILE, which this client never allows");
            } else {
                ResultSetRead rs = readResultSet(p, keepRows && first == null);
                if (first == null) {
                    first = rs.result;
                }
                more = (rs.status & SERVER_MORE_RESULTS_EXISTS) != 0;
            }
        }
        return new Results(first, affected);
    }

    private record ResultSetRead(QueryResult result, int status) {}

    private ResultSetRead readResultSet(byte[] columnCountPacket, boolean keep) throws IOException {
        long columnCount = new PayloadReader(columnCountPacket).readLengthEncodedInt();
        if (columnCount <= 0 || columnCount > 4096) {
            throw new ProtocolException("invalid result set column count " + columnCount);
        }
        List<String> columns = new ArrayList<>((int) columnCount);
        for (int i = 0; i < columnCount; i++) {
            byte[] def = channel.readPayload();
            if (keep) {
                // ColumnDefinition41: catalog, schema, table, org_table, name, ...
                PayloadReader r = new PayloadReader(def);
                for (int skip = 0; skip < 4; skip++) {
                    skipLengthEncoded(r);
                }
                columns.add(r.readLengthEncodedString());
            }
        }
        byte[] p = channel.readPayload();
        if (!isEof(p)) {
            throw new ProtocolException("expected EOF after column definitions, got 0x" + hex(p, 0, Math.min(p.length, 16)));
        }
        List<List<String>> rows = new ArrayList<>();
        while (true) {
            p = channel.readPayload();
            if (isEof(p)) {
                int status = p.length >= 5 ? new PayloadReader(p, 3, 2).readInt2() : 0;
                return new ResultSetRead(keep ? new QueryResult(columns, rows) : QueryResult.EMPTY, status);
            }
            if (isErr(p)) {
                // E.g. the query was killed or hit max_execution_time after sending some rows.
                throw parseErr(p);
            }
            if (keep) {
                PayloadReader r = new PayloadReader(p);
                List<String> row = new ArrayList<>((int) columnCount);
                for (int i = 0; i < columnCount; i++) {
                    row.add(r.readLengthEncodedString());
                }
                rows.add(row);
            }
        }
    }

    private static void skipLengthEncoded(PayloadReader r) throws ProtocolException {
        long len = r.readLengthEncodedInt();
        if (len > 0) {
            if (len > r.remaining()) {
                throw new ProtocolException("column definition field of " + len + " bytes exceeds the packet");
            }
            r.skip((int) len);
        }
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket we are abandoning
        }
    }

    @Override
    public String toString() {
        return "MySqlClient{" + settings.user() + "@" + settings.address() + ", " + greeting.serverVersion() + "}";
    }
}
