package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.CachingSha2FullAuth;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * caching_sha2_password full authentication without TLS, for a user whose secret is MySQL's own stored form: the
 * client asks for the RSA public key and sends its password encrypted with it, as libmysqlclient and Connector/J do.
 */
class RsaHandshakeTest {
    static final String SHA2 = MySqlConstants.CACHING_SHA2_PASSWORD;
    /** HEX(authentication_string) of a user made on MySQL 8.0.15 with caching_sha2_password BY 'password'. */
    static final String MYSQL_HASH = "0x2441243030352471370563417159037B6927781E547E7C522F1F6347554D4B4D6A496F6A614A705637666E4138316D697A38644541454C75464C776A794B4347537158746833";
    static final String PASSWORD = "password";
    static final RsaKeys KEYS = RsaKeys.generate();

    final UserAccounts accounts = new UserAccounts(List.of(
            new UserAccount("my", StoredSecret.parse(MYSQL_HASH), Grants.DEFAULT),
            new UserAccount("sha", StoredSecret.CachingSha2Hash.of(PASSWORD), Grants.DEFAULT)));
    final ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, () -> accounts,
            WireClient.logState(Flavor.MYSQL), UnavailableDumpRequestHandler.INSTANCE, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0,
            TransportSecurity.PLAIN, ReplayerServer.Settings.DEFAULT_MAX_CONNECTIONS, () -> KEYS, 0));

    /** Sends the handshake response with a caching_sha2 scramble of {@code password}; returns the seed and the answer. */
    static byte[] respond(EmbeddedChannel ch, String user, String password, List<WireClient.Packet> answer) {
        byte[] seed = WireClient.seedOf(WireClient.read(ch).get(0).payload());
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), user,
                Scrambles.cachingSha2Password(password, seed), SHA2)));
        answer.addAll(WireClient.read(ch));
        return seed;
    }

    static void assertFullAuthenticationRequested(List<WireClient.Packet> answer) {
        assertEquals(1, answer.size());
        assertArrayEquals(new byte[] {0x01, 0x04}, answer.get(0).payload(), "perform full authentication");
        assertEquals(2, answer.get(0).seq());
    }

    /** Asks for the key (0x02) and returns the PEM the server sent after its 0x01. */
    static String requestPublicKey(EmbeddedChannel ch) {
        ch.writeInbound(WireClient.frame(3, new byte[] {MySqlConstants.CACHING_SHA2_REQUEST_PUBLIC_KEY}));
        List<WireClient.Packet> key = WireClient.read(ch);
        assertEquals(1, key.size());
        assertEquals(0x01, key.get(0).header());
        assertEquals(4, key.get(0).seq());
        return new String(key.get(0).payload(), 1, key.get(0).payload().length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void firstLoginIsFullAuthenticationWithTheRsaKeyAndTheNextTakesTheFastPath() throws Exception {
        EmbeddedChannel first = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        byte[] seed = respond(first, "my", PASSWORD, answer);
        assertFullAuthenticationRequested(answer);
        String pem = requestPublicKey(first);
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n") && pem.endsWith("-----END PUBLIC KEY-----\n"), pem);
        assertEquals(KEYS.publicKeyPem(), pem);
        first.writeInbound(WireClient.frame(5, CachingSha2FullAuth.encryptPassword(PASSWORD, seed, pem)));
        List<WireClient.Packet> ok = WireClient.read(first);
        assertEquals(1, ok.size());
        assertEquals(0x00, ok.get(0).header());
        assertEquals(6, ok.get(0).seq());

        EmbeddedChannel second = WireClient.connect(server);
        List<WireClient.Packet> fast = new java.util.ArrayList<>();
        respond(second, "my", PASSWORD, fast);
        assertArrayEquals(new byte[] {0x01, 0x03}, fast.get(0).payload(), "fast path from the cache the first login filled");
        assertEquals(0x00, fast.get(1).header());
    }

    @Test
    void clientWithTheKeyAlreadySendsTheCipherAtOnce() throws Exception {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        byte[] seed = respond(ch, "my", PASSWORD, answer);
        assertFullAuthenticationRequested(answer);
        ch.writeInbound(WireClient.frame(3, CachingSha2FullAuth.encryptPassword(PASSWORD, seed, KEYS.publicKeyPem())));
        assertEquals(0x00, WireClient.read(ch).get(0).header());
    }

    @Test
    void wrongPasswordEncryptedIs1045AndFillsNoCache() throws Exception {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        byte[] seed = respond(ch, "my", "passworD", answer);
        assertFullAuthenticationRequested(answer);
        String pem = requestPublicKey(ch);
        ch.writeInbound(WireClient.frame(5, CachingSha2FullAuth.encryptPassword("passworD", seed, pem)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, err.errorCode());
        assertEquals("Access denied for user 'my'@'localhost' (using password: YES)", err.errorMessage());
        assertFalse(ch.isOpen());
        assertFalse(((StoredSecret.CachingSha2Crypt) accounts.get("my").secret()).cached());
    }

    @Test
    void cipherOfAnotherConnectionsSeedIs1045() throws Exception {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        byte[] seed = respond(ch, "my", PASSWORD, answer);
        byte[] otherSeed = Arrays.copyOf(seed, seed.length);
        otherSeed[0] ^= 1;
        ch.writeInbound(WireClient.frame(3, CachingSha2FullAuth.encryptPassword(PASSWORD, otherSeed, KEYS.publicKeyPem())));
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, WireClient.read(ch).get(0).errorCode());
    }

    @Test
    void passwordInTheClearWithoutTlsIs1045AsMySqlAnswers() {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        respond(ch, "my", PASSWORD, answer);
        assertFullAuthenticationRequested(answer);
        ch.writeInbound(WireClient.frame(3, (PASSWORD + "\0").getBytes(StandardCharsets.US_ASCII)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, err.errorCode());
        assertEquals("28000", err.sqlState());
        assertEquals("Access denied for user 'my'@'localhost' (using password: YES)", err.errorMessage());
        assertFalse(((StoredSecret.CachingSha2Crypt) accounts.get("my").secret()).cached());
    }

    @Test
    void bridgeSha2HashStillRefusesAWrongScrambleAtOnce() {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> answer = new java.util.ArrayList<>();
        respond(ch, "sha", "passworD", answer);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, answer.get(0).errorCode());
    }
}
