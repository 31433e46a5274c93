package io.binlogbridge.server.handshake;

import io.binlogbridge.server.wire.WireFormat;
import io.binlogbridge.server.wire.ResponsePackets;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.SecureRandom;

/** The server greeting (Protocol::HandshakeV10) and the random seeds it and AuthSwitchRequest carry. */
public final class HandshakeV10 {
    private HandshakeV10() {}

    /**
     * What we can do (CLIENT_SSL is added when TLS is configured). No CLIENT_QUERY_ATTRIBUTES (COM_QUERY
     * stays plain text), no multi statements. CLIENT_DEPRECATE_EOF because {@link ResultSetWriter} writes
     * both end-of-result styles; CLIENT_CONNECT_ATTRS so a MariaDB client library can say what it is.
     */
    public static final int SERVER_CAPABILITIES = MySqlConstants.CLIENT_LONG_PASSWORD
            | MySqlConstants.CLIENT_LONG_FLAG
            | MySqlConstants.CLIENT_CONNECT_WITH_DB
            | MySqlConstants.CLIENT_PROTOCOL_41
            | MySqlConstants.CLIENT_TRANSACTIONS
            | MySqlConstants.CLIENT_SECURE_CONNECTION
            | MySqlConstants.CLIENT_MULTI_RESULTS
            | MySqlConstants.CLIENT_PLUGIN_AUTH
            | MySqlConstants.CLIENT_CONNECT_ATTRS
            | MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | MySqlConstants.CLIENT_DEPRECATE_EOF;

    public static final int SEED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * 20 random bytes in 0x21..0x7E, as MySQL generates them: clients treat the seed as a C string in
     * places, so it must hold no NUL.
     */
    public static byte[] newSeed() {
        byte[] seed = new byte[SEED_LENGTH];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (0x21 + RANDOM.nextInt(0x7E - 0x21 + 1));
        }
        return seed;
    }

    public static ByteBuf greeting(ByteBufAllocator alloc, String serverVersion, int connectionId, byte[] seed, String authPlugin) {
        return greeting(alloc, serverVersion, connectionId, seed, authPlugin, false);
    }

    /** @param offerTls add CLIENT_SSL: the client may send an SSLRequest and continue inside TLS */
    public static ByteBuf greeting(ByteBufAllocator alloc, String serverVersion, int connectionId, byte[] seed, String authPlugin,
                                   boolean offerTls) {
        int capabilities = offerTls ? SERVER_CAPABILITIES | MySqlConstants.CLIENT_SSL : SERVER_CAPABILITIES;
        ByteBuf buf = alloc.buffer(128);
        buf.writeByte(10); // protocol version
        WireFormat.writeNulString(buf, serverVersion);
        buf.writeIntLE(connectionId);
        buf.writeBytes(seed, 0, 8); // auth-plugin-data-part-1
        buf.writeByte(0);           // filler
        buf.writeShortLE(capabilities & 0xFFFF);
        buf.writeByte(MySqlConstants.CHARSET_UTF8MB4_GENERAL_CI);
        buf.writeShortLE(ResponsePackets.DEFAULT_STATUS);
        buf.writeShortLE(capabilities >>> 16);
        buf.writeByte(seed.length + 1); // length of auth-plugin-data, with its terminating NUL
        buf.writeZero(10);              // reserved
        buf.writeBytes(seed, 8, seed.length - 8); // auth-plugin-data-part-2 (12 bytes)
        buf.writeByte(0);
        WireFormat.writeNulString(buf, authPlugin);
        return buf;
    }

    /** AuthSwitchRequest: 0xFE, plugin name, new seed (NUL-terminated, as MySQL sends it). */
    public static ByteBuf authSwitchRequest(ByteBufAllocator alloc, String plugin, byte[] seed) {
        ByteBuf buf = alloc.buffer(2 + plugin.length() + seed.length + 1);
        buf.writeByte(MySqlConstants.AUTH_SWITCH_REQUEST);
        WireFormat.writeNulString(buf, plugin);
        buf.writeBytes(seed);
        buf.writeByte(0);
        return buf;
    }
}
