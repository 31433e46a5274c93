package io.binlogbridge.core.protocol;

import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_LONG_PASSWORD;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_PLUGIN_AUTH;
import static io.binlogbridge.core.protocol.MySqlConstants.CLIENT_SECURE_CONNECTION;
import static io.binlogbridge.core.protocol.MySqlConstants.ERR_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.MYSQL_NATIVE_PASSWORD;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's first packet, Protocol::HandshakeV10, as sent by MySQL and MariaDB.
 *
 * <p>MariaDB differences handled here: its version string starts with {@code "5.5.5-"} so that old
 * clients which reject a major version of 10 keep working (the real version follows the prefix),
 * and from 10.2 on it clears capability bit 0 (CLIENT_LONG_PASSWORD, which it calls CLIENT_MYSQL)
 * and puts its own extended capabilities in the last 4 bytes of the 10-byte reserved filler.
 */
public final class ServerGreeting {
    /** The only handshake version MySQL has used since 3.21. */
    public static final int PROTOCOL_VERSION_10 = 10;

    private static final String MARIADB_RPL_HACK_PREFIX = "5.5.5-";
    private static final Pattern VERSION_NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private final int protocolVersion;
    private final String serverVersion;
    private final long connectionId;
    private final byte[] authSeed;
    private final int capabilities;
    private final int characterSet;
    private final int statusFlags;
    private final String authPluginName;
    private final long mariaDbExtendedCapabilities;

    private ServerGreeting(int protocolVersion, String serverVersion, long connectionId, byte[] authSeed, int capabilities,
                           int characterSet, int statusFlags, String authPluginName, long mariaDbExtendedCapabilities) {
        this.protocolVersion = protocolVersion;
        this.serverVersion = serverVersion;
        this.connectionId = connectionId;
        this.authSeed = authSeed;
        this.capabilities = capabilities;
        this.characterSet = characterSet;
        this.statusFlags = statusFlags;
        this.authPluginName = authPluginName;
        this.mariaDbExtendedCapabilities = mariaDbExtendedCapabilities;
    }

    /**
     * Parses a HandshakeV10 payload. An ERR payload (a server refusing the connection before the
     * handshake, e.g. "Too many connections") must be handled by the caller before calling this.
     */
    public static ServerGreeting parse(byte[] payload) throws ProtocolException {
        PayloadReader r = new PayloadReader(payload);
        int protocolVersion = r.readInt1();
        if (protocolVersion == ERR_HEADER) {
            throw new ProtocolException("server sent an ERR packet instead of a handshake");
        }
        if (protocolVersion != PROTOCOL_VERSION_10) {
            throw new ProtocolException("unsupported handshake protocol version " + protocolVersion + " (only 10 is supported)");
        }
        String serverVersion = r.readNulTerminatedString();
        long connectionId = r.readInt4();
        byte[] seed1 = r.readBytes(8);
        r.skip(1); // filler
        int capabilities = r.readInt2();
        int characterSet = 0;
        int statusFlags = 0;
        int authDataLength = 0;
        long mariaDbExt = 0;
        byte[] seed2 = new byte[0];
        String plugin = MYSQL_NATIVE_PASSWORD; // what a server without CLIENT_PLUGIN_AUTH implies
        // Servers before 4.1 stop here; everything after is optional by the protocol's grammar.
        if (r.hasRemaining()) {
            characterSet = r.readInt1();
            statusFlags = r.readInt2();
            capabilities |= r.readInt2() << 16;
            authDataLength = r.readInt1();
            r.skip(6);
            long reserved4 = r.readInt4();
            if ((capabilities & CLIENT_LONG_PASSWORD) == 0) {
                mariaDbExt = reserved4;
            }
            if ((capabilities & CLIENT_SECURE_CONNECTION) != 0) {
                // The documented length is max(13, auth_plugin_data_len - 8) and includes a trailing NUL.
                int len = Math.min(Math.max(13, authDataLength - 8), r.remaining());
                seed2 = r.readBytes(len);
                if (seed2.length > 0 && seed2[seed2.length - 1] == 0) {
                    seed2 = Arrays.copyOf(seed2, seed2.length - 1);
                }
            }
            if ((capabilities & CLIENT_PLUGIN_AUTH) != 0 && r.hasRemaining()) {
                plugin = r.readNulTerminatedStringOrRest();
            }
        }
        byte[] seed = Arrays.copyOf(seed1, seed1.length + seed2.length);
        System.arraycopy(seed2, 0, seed, seed1.length, seed2.length);
        return new ServerGreeting(protocolVersion, serverVersion, connectionId, seed, capabilities, characterSet, statusFlags,
                plugin, mariaDbExt);
    }

    public int protocolVersion() {
        return protocolVersion;
    }

    /** The version string exactly as the server sent it (MariaDB's may start with "5.5.5-"). */
    public String serverVersion() {
        return serverVersion;
    }

    /** The server's real version: {@link #serverVersion()} without MariaDB's "5.5.5-" prefix. */
    public String version() {
        if (isMariaDb() && serverVersion.startsWith(MARIADB_RPL_HACK_PREFIX)) {
            return serverVersion.substring(MARIADB_RPL_HACK_PREFIX.length());
        }
        return serverVersion;
    }

    /** Compares the numeric prefix of {@link #version()}; false if it has none. */
    public boolean versionAtLeast(int major, int minor, int patch) {
        Matcher m = VERSION_NUMBERS.matcher(version());
        if (!m.find()) {
            return false;
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] w = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (v[i] != w[i]) {
                return v[i] > w[i];
            }
        }
        return true;
    }

    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB");
    }

    public long connectionId() {
        return connectionId;
    }

    /** The 20-byte challenge (part 1 and part 2 joined, without the trailing NUL). A copy. */
    public byte[] authSeed() {
        return authSeed.clone();
    }

    /** Lower and upper capability flags joined into one word. */
    public int capabilities() {
        return capabilities;
    }

    public boolean hasCapability(int flag) {
        return (capabilities & flag) == flag;
    }

    public int characterSet() {
        return characterSet;
    }

    public int statusFlags() {
        return statusFlags;
    }

    /** The server's default authentication plugin. */
    public String authPluginName() {
        return authPluginName;
    }

    /** MariaDB 10.2+ extended capability flags (MARIADB_CLIENT_*); 0 for MySQL. */
    public long mariaDbExtendedCapabilities() {
        return mariaDbExtendedCapabilities;
    }

    @Override
    public String toString() {
        return "ServerGreeting{version=" + serverVersion + ", connectionId=" + connectionId + ", capabilities=0x"
                + Integer.toHexString(capabilities) + ", charset=" + characterSet + ", plugin=" + authPluginName + "}";
    }
}
