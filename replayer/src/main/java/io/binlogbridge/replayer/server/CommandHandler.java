package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.QueryResponder;
import io.binlogbridge.replayer.query.QueryResult;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.access.Privilege;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase: one payload is one command. Dispatches on the command byte; every failure of one
 * command is answered with an ERR on this connection only (malformed → 1835, unknown → 1047, anything
 * unexpected → 1105), so a bad client never affects the others.
 */
public final class CommandHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final Session session;
    private final QueryResponder queries;
    private final ReplicaRegistry replicas;
    private final DumpRequestHandler dumps;

    public CommandHandler(Session session, QueryResponder queries, ReplicaRegistry replicas, DumpRequestHandler dumps) {
        this.session = session;
        this.queries = queries;
        this.replicas = replicas;
        this.dumps = dumps;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf payload)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (session.dumping()) {
                // MySQL's dump thread does not read commands; whatever the client sends now is dropped.
                return;
            }
            if (!session.authenticated()) {
                // Only reachable if the pipeline was built wrongly; never serve an unauthenticated client.
                ctx.close();
                return;
            }
            dispatch(ctx, payload);
        } catch (MalformedPacketException e) {
            LOG.debug("connection {}: malformed packet: {}", session.connectionId(), e.getMessage());
            error(ctx, MySqlConstants.ER_MALFORMED_PACKET, MySqlConstants.SQLSTATE_GENERAL, "Malformed communication packet.");
        } catch (RuntimeException e) {
            LOG.warn("connection {}: command failed", session.connectionId(), e);
            error(ctx, MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL, "Unknown error");
        } finally {
            payload.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, ByteBuf payload) {
        int command = WireFormat.readInt1(payload, "command");
        switch (command) {
            case MySqlConstants.COM_QUERY -> query(ctx, payload.toString(StandardCharsets.UTF_8));
            case MySqlConstants.COM_PING -> ok(ctx);
            case MySqlConstants.COM_QUIT -> ctx.close();
            case MySqlConstants.COM_INIT_DB -> {
                session.database(payload.toString(StandardCharsets.UTF_8));
                ok(ctx);
            }
            case MySqlConstants.COM_RESET_CONNECTION -> {
                session.resetVariables();
                ok(ctx);
            }
            case MySqlConstants.COM_SET_OPTION -> {
                WireFormat.readInt2(payload, "option");
                // MySQL answers COM_SET_OPTION with an EOF packet.
                ctx.writeAndFlush(session.deprecateEof()
                        ? ResponsePackets.ok(ctx.alloc())
                        : ResponsePackets.eof(ctx.alloc(), ResponsePackets.DEFAULT_STATUS));
            }
            case MySqlConstants.COM_STATISTICS -> {
                ByteBuf stats = ctx.alloc().buffer();
                stats.writeCharSequence("Uptime: 1  Threads: 1  Questions: 0  Slow queries: 0  Opens: 0  "
                        + "Flush tables: 0  Open tables: 0  Queries per second avg: 0.000", StandardCharsets.US_ASCII);
                ctx.writeAndFlush(stats);
            }
            case MySqlConstants.COM_REGISTER_SLAVE -> {
                if (mayReplicate(ctx)) {
                    registerSlave(ctx, payload);
                }
            }
            case MySqlConstants.COM_BINLOG_DUMP -> {
                if (mayReplicate(ctx)) {
                    dumps.startDump(ctx, session, binlogDump(payload));
                }
            }
            case MySqlConstants.COM_BINLOG_DUMP_GTID -> {
                if (mayReplicate(ctx)) {
                    dumps.startDump(ctx, session, binlogDumpGtid(payload));
                }
            }
            default -> error(ctx, MySqlConstants.ER_UNKNOWN_COM_ERROR, MySqlConstants.SQLSTATE_HANDSHAKE, "Unknown command");
        }
    }

    /** Whether the user holds {@code replication}; if not, MySQL's ERROR 1227 for REPLICATION SLAVE is sent. */
    private boolean mayReplicate(ChannelHandlerContext ctx) {
        if (session.grants().allows(Privilege.REPLICATION, null)) {
            return true;
        }
        LOG.info("connection {}: user '{}'@'{}' refused a replication command: no replication privilege ({})",
                session.connectionId(), session.user(), session.remoteHost(), session.grants());
        error(ctx, MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR, MySqlConstants.SQLSTATE_SPECIFIC_ACCESS_DENIED,
                "Access denied; you need (at least one of) the " + Privilege.REPLICATION.mysqlName() + " privilege(s) for this operation");
        return false;
    }

    private void query(ChannelHandlerContext ctx, String sql) {
        LOG.debug("connection {}: query {}", session.connectionId(), sql);
        QueryResult result = queries.respond(sql, session);
        if (result instanceof QueryResult.ResultSet rs) {
            ResultSetWriter.write(ctx, rs, session.deprecateEof());
        } else if (result instanceof QueryResult.Error err) {
            error(ctx, err.code(), err.sqlState(), err.message());
        } else if (result instanceof QueryResult.Ok okResult) {
            ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc(), okResult.affectedRows(), ResponsePackets.DEFAULT_STATUS));
        }
    }

    /** COM_REGISTER_SLAVE: server_id, report_host, report_user, report_password, port, rank, master_id. */
    private void registerSlave(ChannelHandlerContext ctx, ByteBuf p) {
        long serverId = WireFormat.readInt4(p, "server id");
        String host = new String(WireFormat.readBytes(p, WireFormat.readInt1(p, "host length"), "host"), StandardCharsets.UTF_8);
        WireFormat.readBytes(p, WireFormat.readInt1(p, "user length"), "user");
        WireFormat.readBytes(p, WireFormat.readInt1(p, "password length"), "password");
        int port = WireFormat.readInt2(p, "port");
        long rank = p.readableBytes() >= 4 ? p.readUnsignedIntLE() : 0;
        long masterId = p.readableBytes() >= 4 ? p.readUnsignedIntLE() : 0;
        if (masterId == 0) {
            masterId = queries.logState().identity().serverId(); // MySQL does the same
        }
        String uuid = session.userVariableString("replica_uuid");
        if (uuid == null) {
            uuid = session.userVariableString("slave_uuid");
        }
        replicas.register(session, new RegisteredReplica(serverId, host, port, rank, masterId, uuid == null ? "" : uuid));
        LOG.info("connection {}: replica server_id={} registered from {} (report_host '{}', port {})",
                session.connectionId(), serverId, session.remoteHost(), host, port);
        ok(ctx);
    }

    /** COM_BINLOG_DUMP: pos(4) flags(2) server_id(4) filename(rest). */
    private DumpRequest binlogDump(ByteBuf p) {
        long position = WireFormat.readInt4(p, "binlog position");
        int flags = WireFormat.readInt2(p, "flags");
        long serverId = WireFormat.readInt4(p, "server id");
        String file = WireFormat.readRestString(p, StandardCharsets.UTF_8);
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, serverId, flags, null, DumpSettings.from(session));
    }

    /** COM_BINLOG_DUMP_GTID: flags(2) server_id(4) name_size(4) name pos(8) data_size(4) data. */
    private DumpRequest binlogDumpGtid(ByteBuf p) {
        int flags = WireFormat.readInt2(p, "flags");
        long serverId = WireFormat.readInt4(p, "server id");
        long nameSize = WireFormat.readInt4(p, "binlog name size");
        String file = new String(WireFormat.readBytes(p, nameSize, "binlog name"), StandardCharsets.UTF_8);
        long position = WireFormat.readInt8(p, "binlog position");
        // MySQL's com_binlog_dump_gtid reads the GTID data whatever the flags say, and clients rely on it:
        // mysql-binlog-connector-java sends the set with flags 0. Only its absence is tolerated.
        byte[] gtids = new byte[0];
        if (p.isReadable() || (flags & MySqlConstants.BINLOG_THROUGH_GTID) != 0) {
            long dataSize = WireFormat.readInt4(p, "GTID data size");
            gtids = WireFormat.readBytes(p, dataSize, "GTID data");
        }
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, file, position, serverId, flags, gtids, DumpSettings.from(session));
    }

    private void ok(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc()));
    }

    private void error(ChannelHandlerContext ctx, int code, String state, String message) {
        ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), code, state, message));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        replicas.unregister(session);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (client reset) end this connection only.
        LOG.debug("connection {}: closing after {}", session.connectionId(), cause.toString());
        ctx.close();
    }
}
