package io.binlogbridge.core.protocol;

import static io.binlogbridge.core.protocol.FakeServer.columnDefinition;
import static io.binlogbridge.core.protocol.FakeServer.eof;
import static io.binlogbridge.core.protocol.FakeServer.err;
import static io.binlogbridge.core.protocol.FakeServer.ok;
import static io.binlogbridge.core.protocol.MySqlConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.auth.CachingSha2FullAuth;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class MySqlClientTest {
    static final byte[] SEED = ServerGreetingTest.SEED;
    static final int MYSQL8_CAPABILITIES = 0xC3FFFFFF;

    static byte[] mysql8Greeting() {
        return ServerGreetingTest.greeting("8.0.15", 42, MYSQL8_CAPABILITIES, 255, 0, CACHING_SHA2_PASSWORD);
    }

    /** Reads a HandshakeResponse41 and checks the fixed part; returns the reader at the auth response. */
    static PayloadReader readHandshakeResponse(PacketChannel ch, String user) throws IOException {
        PayloadReader r = new PayloadReader(ch.readPayload());
        long caps = r.readInt4();
        assertEquals(MySqlClient.CLIENT_CAPABILITIES & MYSQL8_CAPABILITIES, (int) caps);
        assertEquals(0, caps & (CLIENT_SSL | CLIENT_DEPRECATE_EOF | CLIENT_CONNECT_WITH_DB | CLIENT_QUERY_ATTRIBUTES));
        assertEquals(16 * 1024 * 1024, r.readInt4());
        assertEquals(CHARSET_UTF8MB4_GENERAL_CI, r.readInt1());
        assertArrayEquals(new byte[23], r.readBytes(23));
        assertEquals(user, r.readNulTerminatedString());
        return r;
    }

    @Test
    void handshakeResponseBytes() {
        int caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
        byte[] b = MySqlClient.handshakeResponse(caps, "repl", new byte[] {1, 2, 3}, "mysql_native_password");
        byte[] expected = new PayloadWriter()
                .writeBytes(new byte[] {0x00, (byte) 0x82, 0x28, 0x00}) // 0x00288200 little-endian
                .writeBytes(new byte[] {0x00, 0x00, 0x00, 0x01}) // 16 MiB
                .writeInt1(45)
                .writeZeros(23)
                .writeBytes("repl\0".getBytes(StandardCharsets.US_ASCII))
                .writeBytes(new byte[] {3, 1, 2, 3})
                .writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII))
                .toByteArray();
        assertArrayEquals(expected, b);

        // Without CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA the response has a one-byte length; without
        // CLIENT_PLUGIN_AUTH no plugin name follows.
        byte[] old = MySqlClient.handshakeResponse(CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION, "u", new byte[] {9}, "x");
        assertEquals(32 + 2 + 2, old.length);
        assertArrayEquals(new byte[] {'u', 0, 1, 9}, Arrays.copyOfRange(old, 32, 36));
    }

    @Test
    void nativePasswordLoginAndQuery() throws Exception {
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(ServerGreetingTest.greeting("5.7.44-log", 7, 0x81FFF7FF, 33, 0, MYSQL_NATIVE_PASSWORD));
            PayloadReader r = readHandshakeResponse(ch, "repl");
            assertArrayEquals(Scrambles.nativePassword("secret", SEED), r.readLengthEncodedBytes());
            assertEquals(MYSQL_NATIVE_PASSWORD, r.readNulTerminatedString());
            assertFalse(r.hasRemaining());
            ch.writePayload(ok(0));

            ch.resetSequence();
            assertEquals("\u0003SELECT @@server_uuid AS u, NULL AS n", new String(ch.readPayload(), StandardCharsets.UTF_8));
            ch.writePayload(new byte[] {2});
            ch.writePayload(columnDefinition("u"));
            ch.writePayload(columnDefinition("n"));
            ch.writePayload(eof());
            ch.writePayload(new PayloadWriter().writeLengthEncodedString("3E11FA47-71CA-11E1-9E33-C80AA9429562").writeNull().toByteArray());
            ch.writePayload(eof());

            ch.resetSequence();
            assertEquals("\u0003SET @x=1", new String(ch.readPayload(), StandardCharsets.UTF_8));
            ch.writePayload(ok(0));

            ch.resetSequence();
            assertArrayEquals(new byte[] {COM_QUIT}, ch.readPayload());
        })) {
            try (MySqlClient client = MySqlClient.connect(server.settings("repl", "secret"))) {
                assertEquals("5.7.44-log", client.greeting().serverVersion());
                assertFalse(client.isMariaDb());
                QueryResult result = client.query("SELECT @@server_uuid AS u, NULL AS n");
                assertEquals(List.of("u", "n"), result.columns());
                assertEquals(1, result.rows().size());
                assertEquals("3E11FA47-71CA-11E1-9E33-C80AA9429562", result.singleValue());
                assertEquals(Optional.empty(), result.value(0, "N"));
                assertNull(result.rows().get(0).get(1));
                assertTrue(client.query("SET @x=1").isEmpty());
            }
            server.await();
        }
    }

    @Test
    void cachingSha2FastAuthentication() throws Exception {
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            PayloadReader r = readHandshakeResponse(ch, "repl");
            assertArrayEquals(Scrambles.cachingSha2Password("secret", SEED), r.readLengthEncodedBytes());
            assertEquals(CACHING_SHA2_PASSWORD, r.readNulTerminatedString());
            ch.writePayload(new byte[] {AUTH_MORE_DATA, CACHING_SHA2_FAST_AUTH_SUCCESS});
            ch.writePayload(ok(0));
        })) {
            try (MySqlClient client = MySqlClient.connect(server.settings("repl", "secret"))) {
                assertEquals(42, client.greeting().connectionId());
            }
            server.await();
        }
    }

    @Test
    void cachingSha2FullAuthenticationSendsRsaEncryptedPassword() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(new byte[] {AUTH_MORE_DATA, CACHING_SHA2_PERFORM_FULL_AUTHENTICATION});
            assertArrayEquals(new byte[] {CACHING_SHA2_REQUEST_PUBLIC_KEY}, ch.readPayload());
            ch.writePayload(new PayloadWriter().writeInt1(AUTH_MORE_DATA).writeString(pem).toByteArray());
            Cipher cipher = Cipher.getInstance(CachingSha2FullAuth.RSA_TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
            byte[] plain = cipher.doFinal(ch.readPayload());
            for (int i = 0; i < plain.length; i++) {
                plain[i] ^= SEED[i % SEED.length];
            }
            assertEquals("pässwörd-longer-than-the-twenty-byte-seed\0", new String(plain, StandardCharsets.UTF_8));
            ch.writePayload(ok(0));
        })) {
            MySqlClient.connect(server.settings("repl", "pässwörd-longer-than-the-twenty-byte-seed")).close();
            server.await();
        }
    }

    @Test
    void authSwitchAnswersWithTheNewPluginAndSeed() throws Exception {
        byte[] newSeed = "ABCDEFGHIJKLMNOPQRST".getBytes(StandardCharsets.US_ASCII);
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(new PayloadWriter().writeInt1(AUTH_SWITCH_REQUEST).writeNulTerminatedString(MYSQL_NATIVE_PASSWORD)
                    .writeBytes(newSeed).writeInt1(0).toByteArray());
            assertArrayEquals(Scrambles.nativePassword("secret", newSeed), ch.readPayload());
            ch.writePayload(ok(0));
        })) {
            MySqlClient.connect(server.settings("repl", "secret")).close();
            server.await();
        }
    }

    @Test
    void unknownPluginIsNamed() throws Exception {
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(new PayloadWriter().writeInt1(AUTH_SWITCH_REQUEST).writeNulTerminatedString("client_ed25519")
                    .writeBytes(SEED).toByteArray());
        })) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> MySqlClient.connect(server.settings("repl", "x")));
            assertTrue(e.getMessage().contains("'client_ed25519'"), e.getMessage());
            server.await();
        }
    }

    @Test
    void accessDeniedKeepsTheServersWords() throws Exception {
        String text = "Access denied for user 'repl'@'localhost' (using password: YES)";
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(err(ER_ACCESS_DENIED_ERROR, SQLSTATE_ACCESS_DENIED, text));
        })) {
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> MySqlClient.connect(server.settings("repl", "bad")));
            assertEquals(ER_ACCESS_DENIED_ERROR, e.errorCode());
            assertEquals("28000", e.sqlState());
            assertEquals(text, e.serverMessage());
            server.await();
        }
    }

    @Test
    void errorInsteadOfGreeting() throws Exception {
        try (FakeServer server = new FakeServer(ch -> ch.writePayload(new PayloadWriter().writeInt1(0xFF)
                .writeInt2(ER_CON_COUNT_ERROR).writeString("Too many connections").toByteArray()))) {
            MySqlServerException e = assertThrows(MySqlServerException.class, () -> MySqlClient.connect(server.settings("u", "")));
            assertEquals(ER_CON_COUNT_ERROR, e.errorCode());
            assertEquals("HY000", e.sqlState());
            assertEquals("Too many connections", e.serverMessage());
            server.await();
        }
    }

    @Test
    void connectFailureNamesTheSource() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        IOException e = assertThrows(IOException.class, () -> MySqlClient.connect(ConnectionSettings.of(host, port, "u", "")));
        assertTrue(e.getMessage().startsWith("cannot connect to source " + host + ":" + port + ": "), e.getMessage());
    }

    @Test
    void executeRegisterAndDumpCommands() throws Exception {
        byte[] gtidSet = {1, 0, 0, 0, 0, 0, 0, 0, 9, 9};
        byte[] event = {0x00, 1, 2, 3, 4, 4 /* ROTATE */};
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(ok(0));

            ch.resetSequence();
            ch.readPayload();
            ch.writePayload(ok(3));

            ch.resetSequence();
            ch.readPayload(); // a query returning rows through execute(): drained
            ch.writePayload(new byte[] {1});
            ch.writePayload(columnDefinition("a"));
            ch.writePayload(eof());
            ch.writePayload(new PayloadWriter().writeLengthEncodedString("1").toByteArray());
            ch.writePayload(eof());

            ch.resetSequence();
            ch.readPayload();
            ch.writePayload(err(ER_UNKNOWN_SYSTEM_VARIABLE, SQLSTATE_GENERAL, "Unknown system variable 'nope'"));

            ch.resetSequence();
            byte[] register = ch.readPayload();
            assertArrayEquals(new PayloadWriter().writeInt1(COM_REGISTER_SLAVE).writeInt4(1234).writeInt1(4).writeString("host")
                    .writeInt1(0).writeInt1(0).writeInt2(3307).writeInt4(0).writeInt4(0).toByteArray(), register);
            ch.writePayload(ok(0));

            ch.resetSequence();
            assertArrayEquals(new PayloadWriter().writeInt1(COM_BINLOG_DUMP).writeInt4(0xFFFFFFF0L).writeInt2(BINLOG_DUMP_NON_BLOCK)
                    .writeInt4(1234).writeString("binlog.000001").toByteArray(), ch.readPayload());
            ch.writePayload(event);

            ch.resetSequence();
            assertArrayEquals(new PayloadWriter().writeInt1(COM_BINLOG_DUMP_GTID).writeInt2(BINLOG_THROUGH_GTID).writeInt4(1234)
                    .writeInt4(0).writeInt8(4).writeInt4(gtidSet.length).writeBytes(gtidSet).toByteArray(), ch.readPayload());
            ch.writePayload(eof());
        })) {
            try (MySqlClient client = MySqlClient.connect(server.settings("repl", ""))) {
                assertEquals(3, client.execute("INSERT INTO t VALUES (1),(2),(3)"));
                assertEquals(0, client.execute("SELECT 1"));
                MySqlServerException e = assertThrows(MySqlServerException.class, () -> client.query("SELECT @@nope"));
                assertEquals(ER_UNKNOWN_SYSTEM_VARIABLE, e.errorCode());
                client.registerReplica(1234, "host", 3307);
                client.sendBinlogDump("binlog.000001", 0xFFFFFFF0L, 1234, BINLOG_DUMP_NON_BLOCK);
                assertArrayEquals(event, client.channel().readPayload());
                client.sendBinlogDumpGtid("", 4, 1234, BINLOG_THROUGH_GTID, gtidSet);
                assertTrue(MySqlClient.isEof(client.channel().readPayload()));
            }
            server.await();
        }
    }

    @Test
    void dumpArgumentsAreChecked() throws Exception {
        try (FakeServer server = new FakeServer(ch -> {
            ch.writePayload(mysql8Greeting());
            readHandshakeResponse(ch, "repl");
            ch.writePayload(ok(0));
        })) {
            try (MySqlClient client = MySqlClient.connect(server.settings("repl", ""))) {
                assertThrows(IllegalArgumentException.class, () -> client.sendBinlogDump("f", 1L << 32, 1, 0));
                assertThrows(IllegalArgumentException.class, () -> client.sendBinlogDumpGtid("", 4, 1, BINLOG_THROUGH_GTID, null));
            }
            server.await();
        }
    }

    @Test
    void errAndEofRecognition() {
        MySqlServerException e = MySqlClient.parseErr(err(ER_MASTER_FATAL_ERROR_READING_BINLOG, "HY000",
                "Could not find first log file name in binary log index file"));
        assertEquals(1236, e.errorCode());
        assertEquals("HY000", e.sqlState());
        assertEquals("ERROR 1236 (HY000): Could not find first log file name in binary log index file", e.getMessage());
        assertTrue(MySqlClient.isEof(eof()));
        assertTrue(MySqlClient.isEof(new byte[] {(byte) 0xFE}));
        assertFalse(MySqlClient.isEof(new byte[] {(byte) 0xFE, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertFalse(MySqlClient.isEof(new byte[] {0, 0, 0, 0, 0, 0, 0}));
        assertEquals(ER_MALFORMED_PACKET, MySqlClient.parseErr(new byte[] {1}).errorCode());
    }

    @Test
    void connectionSettingsDefaultsAndPasswordHiding() {
        ConnectionSettings s = ConnectionSettings.of("db.example", 3306, "repl", "topsecret");
        assertEquals(java.time.Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(java.time.Duration.ofSeconds(30), s.readTimeout());
        assertEquals("db.example:3306", s.address());
        assertFalse(s.toString().contains("topsecret"));
        assertEquals("", new ConnectionSettings("h", 1, "u", null, null, null).password());
    }
}
