package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.access.UsersFileFormatException;
import io.binlogbridge.server.access.UsersFileParser;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --max-user-connections and a user's own max_user_connections=N, counted over the whole handshake and released on close. */
class UserConnectionLimitTest {
    static final String PASSWORD = "Secret-1";
    static final String HASH = StoredSecret.CachingSha2Hash.of(PASSWORD).toString();

    final UserAccounts accounts;
    final ReplayerServer server;

    UserConnectionLimitTest() throws UsersFileFormatException {
        accounts = UsersFileParser.parse(List.of(
                "own:" + HASH + ":replication,max_user_connections=1",
                "any:" + HASH,
                "other:" + HASH), "users", w -> {});
        server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, () -> accounts, WireClient.logState(Flavor.MYSQL),
                UnavailableDumpRequestHandler.INSTANCE, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0, TransportSecurity.PLAIN,
                ReplayerServer.Settings.DEFAULT_MAX_CONNECTIONS, RsaKeys.generatedOnFirstUse("test"), 2));
    }

    /** Logs in; returns the channel and the last packet of the server's answer. */
    EmbeddedChannel login(String user, List<WireClient.Packet> last) {
        return WireClient.login(server, user, PASSWORD, false, last);
    }

    EmbeddedChannel loggedIn(String user) {
        List<WireClient.Packet> last = new ArrayList<>();
        EmbeddedChannel ch = login(user, last);
        assertEquals(0x00, last.get(0).header(), user + " logs in");
        return ch;
    }

    WireClient.Packet refused(String user) {
        List<WireClient.Packet> last = new ArrayList<>();
        EmbeddedChannel ch = login(user, last);
        assertFalse(ch.isOpen(), "closed after the refusal");
        return last.get(0);
    }

    @Test
    void usersOwnLimitGets1226AndAFreedSlotIsUsableAgain() {
        EmbeddedChannel first = loggedIn("own");
        WireClient.Packet err = refused("own");
        assertEquals(MySqlConstants.ER_USER_LIMIT_REACHED, err.errorCode());
        assertEquals("42000", err.sqlState());
        assertEquals("User 'own' has exceeded the 'max_user_connections' resource (current value: 1)", err.errorMessage());
        first.close();
        loggedIn("own").close();
    }

    @Test
    void serverLimitGets1203PerUser() {
        EmbeddedChannel a = loggedIn("any");
        EmbeddedChannel b = loggedIn("any");
        WireClient.Packet err = refused("any");
        assertEquals(MySqlConstants.ER_TOO_MANY_USER_CONNECTIONS, err.errorCode());
        assertEquals("42000", err.sqlState());
        assertEquals("User any already has more than 'max_user_connections' active connections", err.errorMessage());
        loggedIn("other").close(); // counted per user
        b.close();
        loggedIn("any");
        a.close();
    }

    @Test
    void failedLoginsAreNotCounted() {
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = WireClient.connect(server);
            byte[] seed = WireClient.seedOf(WireClient.read(ch).get(0).payload());
            ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), "own",
                    Scrambles.cachingSha2Password("wrong", seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
            assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, WireClient.read(ch).get(0).errorCode());
        }
        loggedIn("own");
    }
}
