package io.binlogbridge.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.ServerGreeting;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.ProtocolPipeline;
import io.binlogbridge.server.ProtocolServer;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.access.UsersFileParser;
import io.binlogbridge.server.handshake.Authenticator;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code require=x509} in the users file (MySQL's REQUIRE X509), over real TLS on a loopback socket: a user so marked
 * logs in only with a client certificate the server verified against {@code --tls-ca}; TLS without one, or no TLS, gets
 * 1045; a certificate of another CA fails the TLS handshake itself. Certificates are made with openssl here. Also, inside
 * TLS, a user with MySQL's stored caching_sha2 hash passes full authentication with the password in the clear.
 */
class RequireX509Test {
    static final String PASSWORD = "X509-Secret";
    static final ServerIdentity IDENTITY = new ServerIdentity(Flavor.MYSQL, "8.0.40", 1, "3e11fa47-71ca-11e1-9e33-c80aa9429562",
            "CRC32", true, 0, "test");

    /** HEX(authentication_string) of a MySQL 8.0.15 user IDENTIFIED WITH caching_sha2_password BY 'password'. */
    static final String MYSQL_PASSWORD_HASH = "2441243030352471370563417159037B6927781E547E7C522F1F6347554D4B4D6A496F6A614A705637666E4138316D697A38644541454C75464C776A794B4347537158746833";

    @TempDir
    static Path dir;
    static ProtocolServer server;
    static int port;
    static Path ca;

    @BeforeAll
    static void start() throws Exception {
        ca = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca", "-keyout", "ca-key.pem", "-out", "ca.pem");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        signed("server", "server.ext");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        signed("client", "client.ext");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rogue", "-keyout", "rogue-key.pem", "-out", "rogue.pem");
        for (String name : List.of("client", "rogue")) {
            openssl("pkcs12", "-export", "-in", name + ".pem", "-inkey", name + "-key.pem", "-out", name + ".p12", "-passout", "pass:changeit");
        }
        String hash = StoredSecret.CachingSha2Hash.of(PASSWORD).toString();
        UserAccounts users = UsersFileParser.parse(List.of("cert:" + hash + ":replication,require=x509", "any:" + hash,
                "mysqlform:0x" + MYSQL_PASSWORD_HASH), "users", w -> {});
        ServerTls tls = ServerTls.load(new TlsSettings(dir.resolve("server.pem"), dir.resolve("server-key.pem"), ca));
        Authenticator authenticator = new Authenticator(() -> users);
        AtomicInteger ids = new AtomicInteger();
        server = new ProtocolServer("x509 test", "127.0.0.1", 0, 1, ch -> ProtocolPipeline.install(ch,
                new ClientSession(ids.incrementAndGet(), "localhost"), authenticator, () -> IDENTITY, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD,
                new TransportSecurity(tls, false), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                }));
        port = server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void signed(String name, String ext) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + "-key.pem", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "2",
                "-extfile", ext, "-out", name + ".pem");
    }

    static void openssl(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        TestCertificates.run(dir, command);
    }

    @Test
    void userRequiringX509LogsInWithAVerifiedClientCertificate() throws Exception {
        assertArrayEquals(new byte[] {0x01, 0x03}, login("cert", true, "client.p12").get(0));
        assertEquals(0x00, login("cert", true, "client.p12").get(1)[0]);
    }

    @Test
    void tlsWithoutACertificateIs1045() throws Exception {
        List<byte[]> answer = login("cert", true, null);
        byte[] err = answer.get(answer.size() - 1);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, errorCode(err));
        assertEquals("Access denied for user 'cert'@'localhost' (using password: YES)",
                new String(err, 9, err.length - 9, StandardCharsets.UTF_8));
        assertEquals(0x00, login("any", true, null).get(1)[0], "a user without require=x509 needs none");
    }

    @Test
    void plainConnectionIs1045() throws Exception {
        List<byte[]> answer = login("cert", false, null);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, errorCode(answer.get(answer.size() - 1)));
        assertEquals(0x00, login("any", false, null).get(1)[0]);
    }

    @Test
    void certificateOfAnotherCaFailsTheTlsHandshake() {
        // With TLS 1.3 the client learns of the refusal on its first read after the handshake: an alert, not an ERR.
        SSLException e = assertThrows(SSLException.class, () -> login("cert", true, "rogue.p12"));
        assertTrue(e.getMessage().contains("certificate") || e.getMessage().contains("unknown_ca"), e.toString());
    }

    static int errorCode(byte[] err) {
        assertEquals(0xFF, err[0] & 0xFF, "an ERR packet");
        return (err[1] & 0xFF) | (err[2] & 0xFF) << 8;
    }

    /** Logs in with a caching_sha2 scramble, in TLS with {@code keyStore}'s certificate if given; the server's packets after the response. */
    static List<byte[]> login(String user, boolean tls, String keyStore) throws Exception {
        return login(user, PASSWORD, tls, keyStore);
    }

    @Test
    void mySqlStoredHashTakesThePasswordInsideTls() throws Exception {
        List<byte[]> answer = login("mysqlform", "password", true, null);
        assertArrayEquals(new byte[] {0x01, 0x04}, answer.get(0), "full authentication: nothing cached yet");
        assertEquals(0x00, answer.get(1)[0]);
        List<byte[]> again = login("mysqlform", "password", true, null);
        assertArrayEquals(new byte[] {0x01, 0x03}, again.get(0), "then the fast path");
        List<byte[]> wrong = login("mysqlform", "passworD", true, null);
        assertArrayEquals(new byte[] {0x01, 0x04}, wrong.get(0), "a missed scramble asks for the password, as MySQL");
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, errorCode(wrong.get(1)));
    }

    static List<byte[]> login(String user, String password, boolean tls, String keyStore) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(10_000);
            Socket s = plain;
            byte[] seed = ServerGreeting.parse(read(new DataInputStream(plain.getInputStream()))).authSeed();
            int caps = MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SECURE_CONNECTION | MySqlConstants.CLIENT_PLUGIN_AUTH
                    | MySqlConstants.CLIENT_LONG_PASSWORD | (tls ? MySqlConstants.CLIENT_SSL : 0);
            int seq = 1;
            if (tls) {
                write(plain.getOutputStream(), seq++, MySqlClient.sslRequest(caps));
                SSLSocket secure = (SSLSocket) context(keyStore).getSocketFactory().createSocket(plain, "127.0.0.1", port, false);
                secure.startHandshake();
                s = secure;
            }
            write(s.getOutputStream(), seq, MySqlClient.handshakeResponse(caps, user, Scrambles.cachingSha2Password(password, seed),
                    MySqlConstants.CACHING_SHA2_PASSWORD));
            DataInputStream in = new DataInputStream(s.getInputStream());
            List<byte[]> answer = new java.util.ArrayList<>();
            byte[] p = read(in);
            answer.add(p);
            if (p.length == 2 && p[0] == 0x01 && p[1] == 0x04) {
                write(s.getOutputStream(), seq + 2, (password + "\0").getBytes(StandardCharsets.UTF_8));
                answer.add(read(in));
            } else if (p.length == 2 && p[0] == 0x01) {
                answer.add(read(in));
            }
            return answer;
        }
    }

    static SSLContext context(String keyStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(dir.resolve(keyStore).toFile())) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf == null ? null : new KeyManager[] {new AlwaysPresent((X509KeyManager) kmf.getKeyManagers()[0])},
                tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Presents the key store's certificate whatever CAs the server names: the JDK's own key manager would not send one
     * of another CA at all, and the server must be seen refusing it.
     */
    static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509KeyManager keys;

        AlwaysPresent(X509KeyManager keys) {
            this.keys = keys;
        }

        private String alias() {
            return keys.getClientAliases("RSA", null)[0];
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias()};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias();
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    static byte[] read(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        byte[] payload = new byte[(header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16];
        in.readFully(payload);
        return payload;
    }

    static void write(OutputStream out, int seq, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16), (byte) seq});
        out.write(payload);
        out.flush();
    }
}
