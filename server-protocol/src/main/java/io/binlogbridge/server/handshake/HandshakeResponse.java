package io.binlogbridge.server.handshake;

import io.binlogbridge.server.wire.MalformedPacketException;
import io.binlogbridge.server.wire.WireFormat;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protocol::HandshakeResponse41, as a client answers the greeting.
 *
 * @param authPlugin null when the client did not set CLIENT_PLUGIN_AUTH
 */
public record HandshakeResponse(
        int capabilities,
        long maxPacketSize,
        int characterSet,
        String user,
        byte[] authResponse,
        String database,
        String authPlugin,
        Map<String, String> connectAttributes) {

    /** A pre-4.1 client (HandshakeResponse320): only its 2-byte capability field tells us, then we refuse. */
    public static boolean isProtocol41(ByteBuf payload) {
        return payload.readableBytes() >= 2
                && (payload.getUnsignedShortLE(payload.readerIndex()) & MySqlConstants.CLIENT_PROTOCOL_41) != 0;
    }

    /** An SSLRequest is a HandshakeResponse41 cut after the 32 fixed bytes, with CLIENT_SSL set. */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == 32
                && (payload.getIntLE(payload.readerIndex()) & MySqlConstants.CLIENT_SSL) != 0;
    }

    public static HandshakeResponse parse(ByteBuf buf) {
        int caps = (int) WireFormat.readInt4(buf, "capability flags");
        long maxPacket = WireFormat.readInt4(buf, "max packet size");
        int charset = WireFormat.readInt1(buf, "character set");
        WireFormat.need(buf, 23, "filler");
        buf.skipBytes(23);
        String user = WireFormat.readNulString(buf, "user name");
        byte[] auth;
        if ((caps & MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            auth = WireFormat.readLenencBytes(buf, "auth response");
        } else if ((caps & MySqlConstants.CLIENT_SECURE_CONNECTION) != 0) {
            auth = WireFormat.readBytes(buf, WireFormat.readInt1(buf, "auth response length"), "auth response");
        } else {
            auth = WireFormat.readNulBytes(buf, "auth response");
        }
        String database = null;
        if ((caps & MySqlConstants.CLIENT_CONNECT_WITH_DB) != 0 && buf.isReadable()) {
            database = WireFormat.readNulOrRestString(buf);
        }
        String plugin = null;
        if ((caps & MySqlConstants.CLIENT_PLUGIN_AUTH) != 0) {
            plugin = buf.isReadable() ? WireFormat.readNulOrRestString(buf) : "";
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if ((caps & MySqlConstants.CLIENT_CONNECT_ATTRS) != 0 && buf.isReadable()) {
            long length = WireFormat.readLenencInt(buf, "connect attributes length");
            if (length > buf.readableBytes()) {
                throw new MalformedPacketException("connect attributes longer than the packet");
            }
            ByteBuf attrBuf = buf.readSlice((int) length);
            while (attrBuf.isReadable()) {
                String key = WireFormat.readLenencString(attrBuf, "connect attribute name");
                attrs.put(key, WireFormat.readLenencString(attrBuf, "connect attribute value"));
            }
        }
        return new HandshakeResponse(caps, maxPacket, charset, user, auth,
                database == null || database.isEmpty() ? null : database, plugin, attrs);
    }
}
