package io.binlogbridge.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerGreetingTest {
    static final byte[] SEED = "abcdefghijklmnopqrst".getBytes();

    /** A HandshakeV10 laid out byte by byte as the protocol documentation describes it. */
    static byte[] greeting(String version, long connectionId, int capabilities, int charset, int extended, String plugin) {
        PayloadWriter w = new PayloadWriter();
        w.writeInt1(10)
                .writeNulTerminatedString(version)
                .writeInt4(connectionId)
                .writeBytes(SEED, 0, 8)
                .writeInt1(0)
                .writeInt2(capabilities & 0xFFFF)
                .writeInt1(charset)
                .writeInt2(MySqlConstants.SERVER_STATUS_AUTOCOMMIT)
                .writeInt2(capabilities >>> 16)
                .writeInt1(21)
                .writeZeros(6)
                .writeInt4(extended)
                .writeBytes(SEED, 8, 12)
                .writeInt1(0)
                .writeNulTerminatedString(plugin);
        return w.toByteArray();
    }

    @Test
    void mysql8Greeting() throws Exception {
        // Capabilities and charset as MySQL 8.0.15 sends them.
        ServerGreeting g = ServerGreeting.parse(greeting("8.0.15", 6, 0xC3FFFFFF, 255, 0, "caching_sha2_password"));
        assertEquals(10, g.protocolVersion());
        assertEquals("8.0.15", g.serverVersion());
        assertEquals("8.0.15", g.version());
        assertFalse(g.isMariaDb());
        assertEquals(6, g.connectionId());
        assertArrayEquals(SEED, g.authSeed());
        assertEquals(0xC3FFFFFF, g.capabilities());
        assertTrue(g.hasCapability(MySqlConstants.CLIENT_PLUGIN_AUTH | MySqlConstants.CLIENT_PROTOCOL_41));
        assertEquals(255, g.characterSet());
        assertEquals(MySqlConstants.SERVER_STATUS_AUTOCOMMIT, g.statusFlags());
        assertEquals("caching_sha2_password", g.authPluginName());
        assertEquals(0, g.mariaDbExtendedCapabilities());
        assertTrue(g.versionAtLeast(8, 0, 15));
        assertFalse(g.versionAtLeast(8, 4, 0));
    }

    @Test
    void mariaDbGreeting() throws Exception {
        // Capabilities as MariaDB 10.11 sends them: bit 0 (CLIENT_MYSQL) clear, extended flags in the filler.
        ServerGreeting g = ServerGreeting.parse(greeting("5.5.5-10.11.19-MariaDB-0+deb12u1-log", 8, 0x81FFF7FE, 8, 0x1D,
                "mysql_native_password"));
        assertTrue(g.isMariaDb());
        assertEquals("5.5.5-10.11.19-MariaDB-0+deb12u1-log", g.serverVersion());
        assertEquals("10.11.19-MariaDB-0+deb12u1-log", g.version());
        assertTrue(g.versionAtLeast(10, 0, 0));
        assertFalse(g.versionAtLeast(11, 0, 0));
        assertEquals(0x1D, g.mariaDbExtendedCapabilities());
        assertEquals(0x81FFF7FE, g.capabilities());
        assertEquals(8, g.characterSet());
        assertArrayEquals(SEED, g.authSeed());
        assertEquals("mysql_native_password", g.authPluginName());
    }

    @Test
    void reservedBytesOfMySqlAreNotMariaDbCapabilities() throws Exception {
        ServerGreeting g = ServerGreeting.parse(greeting("5.7.44-log", 1, 0x81FFF7FF, 33, 0x1D, "mysql_native_password"));
        assertEquals(0, g.mariaDbExtendedCapabilities());
    }

    @Test
    void mariaDb11VersionWithoutPrefix() throws Exception {
        ServerGreeting g = ServerGreeting.parse(greeting("11.4.2-MariaDB", 1, 0x81FFF7FE, 45, 0x1D, "mysql_native_password"));
        assertTrue(g.isMariaDb());
        assertEquals("11.4.2-MariaDB", g.version());
    }

    @Test
    void pluginNameWithoutTrailingNul() throws Exception {
        byte[] b = greeting("5.5.8", 1, 0x000FF7FF, 33, 0, "mysql_native_password");
        byte[] noNul = java.util.Arrays.copyOf(b, b.length - 1);
        assertEquals("mysql_native_password", ServerGreeting.parse(noNul).authPluginName());
    }

    @Test
    void rejectsOtherProtocolVersionsAndTruncation() {
        byte[] b = greeting("8.0.15", 1, 0xC3FFFFFF, 255, 0, "caching_sha2_password");
        b[0] = 9;
        assertThrows(ProtocolException.class, () -> ServerGreeting.parse(b));
        byte[] truncated = java.util.Arrays.copyOf(greeting("8.0.15", 1, 0xC3FFFFFF, 255, 0, "x"), 12);
        assertThrows(ProtocolException.class, () -> ServerGreeting.parse(truncated));
    }
}
