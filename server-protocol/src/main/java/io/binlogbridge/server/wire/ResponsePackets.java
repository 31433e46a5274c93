package io.binlogbridge.server.wire;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The generic response payloads: OK, ERR, EOF, and OK-as-EOF for CLIENT_DEPRECATE_EOF clients. */
public final class ResponsePackets {
    private ResponsePackets() {}

    /** ER_NOT_SUPPORTED_AUTH_MODE (mysqld_error.h); not in MySqlConstants yet. */
    public static final int ER_NOT_SUPPORTED_AUTH_MODE = 1251;
    public static final String SQLSTATE_NOT_SUPPORTED_AUTH_MODE = "08004";

    /** Status flags we always report: autocommit, no transaction. */
    public static final int DEFAULT_STATUS = MySqlConstants.SERVER_STATUS_AUTOCOMMIT;

    public static ByteBuf ok(ByteBufAllocator alloc) {
        return ok(alloc, 0, DEFAULT_STATUS);
    }

    public static ByteBuf ok(ByteBufAllocator alloc, long affectedRows, int status) {
        ByteBuf buf = alloc.buffer(11);
        buf.writeByte(MySqlConstants.OK_HEADER);
        WireFormat.writeLenencInt(buf, affectedRows);
        WireFormat.writeLenencInt(buf, 0); // last insert id
        buf.writeShortLE(status);
        buf.writeShortLE(0); // warnings
        return buf;
    }

    /** The OK packet that ends a result set for CLIENT_DEPRECATE_EOF clients: same fields, 0xFE header. */
    public static ByteBuf okAsEof(ByteBufAllocator alloc, int status) {
        ByteBuf buf = alloc.buffer(7);
        buf.writeByte(MySqlConstants.EOF_HEADER);
        WireFormat.writeLenencInt(buf, 0);
        WireFormat.writeLenencInt(buf, 0);
        buf.writeShortLE(status);
        buf.writeShortLE(0);
        return buf;
    }

    /** The classic (CLIENT_PROTOCOL_41) EOF packet. */
    public static ByteBuf eof(ByteBufAllocator alloc, int status) {
        ByteBuf buf = alloc.buffer(5);
        buf.writeByte(MySqlConstants.EOF_HEADER);
        buf.writeShortLE(0); // warnings
        buf.writeShortLE(status);
        return buf;
    }

    public static ByteBuf err(ByteBufAllocator alloc, int code, String sqlState, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(9 + text.length);
        buf.writeByte(MySqlConstants.ERR_HEADER);
        buf.writeShortLE(code);
        buf.writeByte('#');
        buf.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5);
        buf.writeBytes(text);
        return buf;
    }

    /** ERR for a pre-4.1 client, which does not know the SQL state marker. */
    public static ByteBuf errPre41(ByteBufAllocator alloc, int code, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(3 + text.length);
        buf.writeByte(MySqlConstants.ERR_HEADER);
        buf.writeShortLE(code);
        buf.writeBytes(text);
        return buf;
    }
}
