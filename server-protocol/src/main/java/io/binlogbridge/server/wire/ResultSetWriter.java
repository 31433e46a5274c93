package io.binlogbridge.server.wire;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.sql.QueryResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a text-protocol result set: column count, ColumnDefinition41 packets, rows, and the end marker.
 * Classic clients (mysql-binlog-connector-java) get an EOF after the columns and after the rows;
 * CLIENT_DEPRECATE_EOF clients get no EOF after the columns and an OK with the 0xFE header at the end.
 */
public final class ResultSetWriter {
    private ResultSetWriter() {}

    /** Column flags (include/mysql_com.h). */
    private static final int BINARY_FLAG = 128;

    /** {@code status}: the session's status flags, for the EOF (or OK) packets. */
    public static void write(ChannelHandlerContext ctx, QueryResult.ResultSet rs, boolean deprecateEof, int status) {
        ByteBufAllocator alloc = ctx.alloc();
        ByteBuf count = alloc.buffer(9);
        WireFormat.writeLenencInt(count, rs.columns().size());
        ctx.write(count);
        for (QueryResult.Column column : rs.columns()) {
            ctx.write(columnDefinition(alloc, column));
        }
        if (!deprecateEof) {
            ctx.write(ResponsePackets.eof(alloc, status));
        }
        for (List<String> row : rs.rows()) {
            ctx.write(row(alloc, row));
        }
        ctx.writeAndFlush(deprecateEof
                ? ResponsePackets.okAsEof(alloc, status)
                : ResponsePackets.eof(alloc, status));
    }

    static ByteBuf columnDefinition(ByteBufAllocator alloc, QueryResult.Column column) {
        boolean integer = column.type() == QueryResult.ColumnType.INTEGER;
        ByteBuf buf = alloc.buffer(32 + column.name().length() * 3);
        WireFormat.writeLenencString(buf, "def"); // catalog
        WireFormat.writeLenencString(buf, "");    // schema
        WireFormat.writeLenencString(buf, "");    // table
        WireFormat.writeLenencString(buf, "");    // org_table
        WireFormat.writeLenencString(buf, column.name());
        WireFormat.writeLenencString(buf, "");    // org_name
        WireFormat.writeLenencInt(buf, 0x0C);     // length of the fixed fields
        // Numbers are binary (63) like MySQL's; text is utf8 (33), which every client library decodes.
        buf.writeShortLE(integer ? MySqlConstants.CHARSET_BINARY : MySqlConstants.CHARSET_UTF8_GENERAL_CI);
        buf.writeIntLE(integer ? 21 : 1024);    // column length (display width)
        buf.writeByte(integer ? MySqlConstants.MYSQL_TYPE_LONGLONG : MySqlConstants.MYSQL_TYPE_VAR_STRING);
        buf.writeShortLE(integer ? BINARY_FLAG : 0);
        buf.writeByte(integer ? 0 : 31);        // decimals: 31 = not fixed, as MySQL marks strings
        buf.writeShortLE(0);                    // filler
        return buf;
    }

    static ByteBuf row(ByteBufAllocator alloc, List<String> values) {
        ByteBuf buf = alloc.buffer();
        for (String v : values) {
            if (v == null) {
                buf.writeByte(WireFormat.NULL_MARKER);
            } else {
                WireFormat.writeLenencBytes(buf, v.getBytes(StandardCharsets.UTF_8));
            }
        }
        return buf;
    }
}
