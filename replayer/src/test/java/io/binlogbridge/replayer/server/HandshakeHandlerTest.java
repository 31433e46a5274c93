package io.binlogbridge.replayer.server;

import io.binlogbridge.server.handshake.HandshakeHandler;
import io.binlogbridge.server.handshake.HandshakeV10;

import io.binlogbridge.server.wire.ResponsePackets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeHandlerTest {
    final ReplayerServer server = WireClient.server(UnavailableDumpRequestHandler.INSTANCE);

    byte[] greeting(EmbeddedChannel ch) {
        List<WireClient.Packet> packets = WireClient.read(ch);
        assertEquals(1, packets.size());
        assertEquals(0, packets.get(0).seq());
        return packets.get(0).payload();
    }

    @Test
    void greetingIsHandshakeV10() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] g = greeting(ch);
        assertEquals(10, g[0]);
        assertTrue(new String(g, StandardCharsets.US_ASCII).startsWith("\n8.0.40\0"));
        byte[] seed = WireClient.seedOf(g);
        for (byte b : seed) {
            assertTrue(b >= 0x21 && b <= 0x7E, "seed bytes are printable");
        }
        assertEquals(MySqlConstants.CACHING_SHA2_PASSWORD, WireClient.pluginOf(g));
        int capsOffset = 1 + "8.0.40".length() + 1 + 4 + 8 + 1;
        int caps = (g[capsOffset] & 0xFF) | (g[capsOffset + 1] & 0xFF) << 8 | (g[capsOffset + 5] & 0xFF) << 16 | (g[capsOffset + 6] & 0xFF) << 24;
        assertEquals(HandshakeV10.SERVER_CAPABILITIES, caps);
        assertEquals(0, caps & MySqlConstants.CLIENT_SSL);
        assertEquals(0, caps & MySqlConstants.CLIENT_QUERY_ATTRIBUTES);
    }

    @Test
    void cachingSha2FastAuthThenOk() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = WireClient.seedOf(greeting(ch));
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER,
                Scrambles.cachingSha2Password(WireClient.PASSWORD, seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
        List<WireClient.Packet> out = WireClient.read(ch);
        assertEquals(2, out.size());
        assertArrayEquals(new byte[] {0x01, 0x03}, out.get(0).payload());
        assertEquals(2, out.get(0).seq());
        assertEquals(0x00, out.get(1).header());
        assertEquals(3, out.get(1).seq());
        assertNull(ch.pipeline().get(HandshakeHandler.class), "handshake handler leaves the pipeline");
        // Commands work afterwards.
        ch.writeInbound(WireClient.frame(0, new byte[] {MySqlConstants.COM_PING}));
        List<WireClient.Packet> pong = WireClient.read(ch);
        assertEquals(0x00, pong.get(0).header());
        assertEquals(1, pong.get(0).seq());
    }

    @Test
    void nativePasswordAfterAuthSwitch() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = WireClient.seedOf(greeting(ch));
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER,
                Scrambles.nativePassword(WireClient.PASSWORD, seed), MySqlConstants.MYSQL_NATIVE_PASSWORD)));
        List<WireClient.Packet> out = WireClient.read(ch);
        assertEquals(1, out.size());
        byte[] sw = out.get(0).payload();
        assertEquals(0xFE, sw[0] & 0xFF);
        assertEquals(2, out.get(0).seq());
        String plugin = new String(sw, 1, MySqlConstants.MYSQL_NATIVE_PASSWORD.length(), StandardCharsets.US_ASCII);
        assertEquals(MySqlConstants.MYSQL_NATIVE_PASSWORD, plugin);
        int seedStart = 1 + plugin.length() + 1;
        byte[] newSeed = Arrays.copyOfRange(sw, seedStart, seedStart + 20);
        assertEquals(0, sw[sw.length - 1]);
        ch.writeInbound(WireClient.frame(3, Scrambles.nativePassword(WireClient.PASSWORD, newSeed)));
        List<WireClient.Packet> ok = WireClient.read(ch);
        assertEquals(1, ok.size());
        assertEquals(0x00, ok.get(0).header());
        assertEquals(4, ok.get(0).seq());
    }

    @Test
    void unknownPluginIsSwitchedToCachingSha2() {
        EmbeddedChannel ch = WireClient.connect(server);
        greeting(ch);
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER,
                new byte[0], "mysql_clear_password")));
        byte[] sw = WireClient.read(ch).get(0).payload();
        String plugin = new String(sw, 1, MySqlConstants.CACHING_SHA2_PASSWORD.length(), StandardCharsets.US_ASCII);
        assertEquals(MySqlConstants.CACHING_SHA2_PASSWORD, plugin);
        int seedStart = 1 + plugin.length() + 1;
        byte[] newSeed = Arrays.copyOfRange(sw, seedStart, seedStart + 20);
        ch.writeInbound(WireClient.frame(3, Scrambles.cachingSha2Password(WireClient.PASSWORD, newSeed)));
        List<WireClient.Packet> out = WireClient.read(ch);
        assertArrayEquals(new byte[] {0x01, 0x03}, out.get(0).payload());
        assertEquals(0x00, out.get(1).header());
    }

    @Test
    void wrongPasswordIsMySqlsErr1045AndClose() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = WireClient.seedOf(greeting(ch));
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER,
                Scrambles.cachingSha2Password("wrong", seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, err.errorCode());
        assertEquals("28000", err.sqlState());
        assertEquals("Access denied for user 'repl'@'localhost' (using password: YES)", err.errorMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void unknownUserWithoutPasswordSaysNo() {
        EmbeddedChannel ch = WireClient.connect(server);
        greeting(ch);
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), "ghost",
                new byte[0], MySqlConstants.CACHING_SHA2_PASSWORD)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals("Access denied for user 'ghost'@'localhost' (using password: NO)", err.errorMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void oldProtocol320IsRefused() {
        EmbeddedChannel ch = WireClient.connect(server);
        greeting(ch);
        // HandshakeResponse320: 2-byte caps without CLIENT_PROTOCOL_41, 3-byte max packet, user, scramble.
        ch.writeInbound(WireClient.frame(1, new byte[] {(byte) 0x85, 0x00, 0, 0, 0, 'u', 0, 'x', 0}));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(0xFF, err.header());
        assertEquals(ResponsePackets.ER_NOT_SUPPORTED_AUTH_MODE, err.errorCode());
        assertFalse(ch.isOpen());
    }

    @Test
    void truncatedHandshakeResponseIsBadHandshake() {
        EmbeddedChannel ch = WireClient.connect(server);
        greeting(ch);
        byte[] full = WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER, new byte[20], null);
        ch.writeInbound(WireClient.frame(1, Arrays.copyOf(full, 20)));
        WireClient.Packet err = WireClient.read(ch).get(0);
        assertEquals(MySqlConstants.ER_HANDSHAKE_ERROR, err.errorCode());
        assertEquals("Bad handshake", err.errorMessage());
        assertFalse(ch.isOpen());
    }
}
