package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake with hashed users file secrets and privileges (no TLS here: see the integration tests for TLS). */
class AccessHandshakeTest {
    static final String PASSWORD = "Secret-1";
    static final String NATIVE = MySqlConstants.MYSQL_NATIVE_PASSWORD;
    static final String SHA2 = MySqlConstants.CACHING_SHA2_PASSWORD;

    final UserAccounts accounts = new UserAccounts(List.of(
            new UserAccount("nat", StoredSecret.NativePasswordHash.of(PASSWORD), Grants.DEFAULT),
            new UserAccount("sha", StoredSecret.CachingSha2Hash.of(PASSWORD), Grants.DEFAULT),
            new UserAccount("mon", StoredSecret.CachingSha2Hash.of(PASSWORD), Grants.parse("monitor,admin"))));
    final ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, () -> accounts,
            WireClient.logState(Flavor.MYSQL), UnavailableDumpRequestHandler.INSTANCE, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0, TransportSecurity.PLAIN,
            ReplayerServer.Settings.DEFAULT_MAX_CONNECTIONS));

    static byte[] seed(EmbeddedChannel ch) {
        return WireClient.seedOf(WireClient.read(ch).get(0).payload());
    }

    static byte[] scramble(String plugin, byte[] seed) {
        return plugin.equals(NATIVE) ? Scrambles.nativePassword(PASSWORD, seed) : Scrambles.cachingSha2Password(PASSWORD, seed);
    }

    /** Answers the greeting for {@code clientPlugin}; returns the server's answer. */
    static List<WireClient.Packet> answer(EmbeddedChannel ch, String user, String clientPlugin) {
        byte[] seed = seed(ch);
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), user,
                scramble(clientPlugin, seed), clientPlugin)));
        return WireClient.read(ch);
    }

    /** The AuthSwitchRequest's plugin, after checking the packet is one. */
    static String switchedTo(WireClient.Packet p) {
        byte[] sw = p.payload();
        assertEquals(0xFE, sw[0] & 0xFF);
        int end = 1;
        while (sw[end] != 0) {
            end++;
        }
        return new String(sw, 1, end - 1, StandardCharsets.US_ASCII);
    }

    static byte[] switchSeed(WireClient.Packet p) {
        byte[] sw = p.payload();
        int start = switchedTo(p).length() + 2;
        return Arrays.copyOfRange(sw, start, start + 20);
    }

    @Test
    void nativeHashUserAnsweringCachingSha2IsSwitchedToNative() {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> out = answer(ch, "nat", SHA2);
        assertEquals(1, out.size());
        assertEquals(NATIVE, switchedTo(out.get(0)));
        ch.writeInbound(WireClient.frame(3, scramble(NATIVE, switchSeed(out.get(0)))));
        List<WireClient.Packet> ok = WireClient.read(ch);
        assertEquals(1, ok.size());
        assertEquals(0x00, ok.get(0).header());
    }

    @Test
    void nativeHashUserAnsweringNativeIsAskedAgainWithAFreshSeedAsBefore() {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> out = answer(ch, "nat", NATIVE);
        assertEquals(NATIVE, switchedTo(out.get(0)));
        ch.writeInbound(WireClient.frame(3, scramble(NATIVE, switchSeed(out.get(0)))));
        assertEquals(0x00, WireClient.read(ch).get(0).header());
    }

    @Test
    void sha2HashUserAnsweringNativeIsSwitchedToCachingSha2AndTakesTheFastPath() {
        EmbeddedChannel ch = WireClient.connect(server);
        List<WireClient.Packet> out = answer(ch, "sha", NATIVE);
        assertEquals(SHA2, switchedTo(out.get(0)));
        ch.writeInbound(WireClient.frame(3, scramble(SHA2, switchSeed(out.get(0)))));
        List<WireClient.Packet> ok = WireClient.read(ch);
        assertArrayEquals(new byte[] {0x01, 0x03}, ok.get(0).payload());
        assertEquals(0x00, ok.get(1).header());
    }

    @Test
    void wrongPasswordAgainstAHashIs1045() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = seed(ch);
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), "sha",
                Scrambles.cachingSha2Password("Secret-2", seed), SHA2)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, err.errorCode());
        assertEquals("Access denied for user 'sha'@'localhost' (using password: YES)", err.errorMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void userWithoutReplicationGets1227OnDumpAndRegisterButMayQuery() {
        EmbeddedChannel ch = WireClient.connect(server);
        assertEquals(0x00, answer(ch, "mon", SHA2).get(1).header());
        ByteBuf dump = Unpooled.buffer();
        dump.writeByte(MySqlConstants.COM_BINLOG_DUMP).writeIntLE(4).writeShortLE(0).writeIntLE(99)
                .writeBytes("binlog.000001".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = new byte[dump.readableBytes()];
        dump.readBytes(bytes);
        for (byte[] command : List.of(bytes,
                WireClient.command(MySqlConstants.COM_BINLOG_DUMP_GTID, new byte[18]),
                WireClient.command(MySqlConstants.COM_REGISTER_SLAVE, new byte[18]))) {
            ch.writeInbound(WireClient.frame(0, command));
            WireClient.Packet err = WireClient.read(ch).get(0);
            assertEquals(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR, err.errorCode());
            assertEquals("42000", err.sqlState());
            assertEquals("Access denied; you need (at least one of) the REPLICATION SLAVE privilege(s) for this operation",
                    err.errorMessage());
        }
        assertTrue(ch.isOpen(), "the connection stays usable, as in MySQL");
        ch.writeInbound(WireClient.frame(0, WireClient.query("SELECT @@GLOBAL.SERVER_ID")));
        assertEquals(1, WireClient.read(ch).get(0).payload()[0], "a result set of one column");
    }

    @Test
    void greetingOffersNoTlsWithoutACertificate() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] g = WireClient.read(ch).get(0).payload();
        int capsOffset = 1 + "8.0.40".length() + 1 + 4 + 8 + 1;
        assertEquals(0, (g[capsOffset] & 0xFF | (g[capsOffset + 1] & 0xFF) << 8) & MySqlConstants.CLIENT_SSL);
    }
}
