package io.binlogbridge.server.command;


import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.Privilege;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.wire.ChannelPayloadSink;
import io.binlogbridge.server.wire.MalformedPacketException;
import io.binlogbridge.server.wire.ResponsePackets;
import io.binlogbridge.server.wire.ResultSetWriter;
import io.binlogbridge.server.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase: one payload is one command. Dispatches on the command byte; every failure of one
 * command is answered with an ERR on this connection only (malformed → 1835, unknown → 1047, anything
 * unexpected → 1105), so a bad client never affects the others. The replication commands go to the
 * server's {@link ReplicationCommands}; a server without them answers them as unknown commands.
 */
public final class CommandHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final ClientSession session;
    private final Function<ClientSession, QueryResponder> queries;
    private final ReplicationCommands replication;
    private final boolean initDbAsUse;

    /** @param replication this connection's replication commands, null on a server that has none */
    public CommandHandler(ClientSession session, QueryResponder queries, ReplicationCommands replication) {
        this(session, s -> queries, replication, false);
    }

    /**
     * @param queries     who answers the connection's queries now (a server of several clusters: the chosen one's)
     * @param initDbAsUse COM_INIT_DB is answered as the statement {@code USE name} (a server whose databases mean
     *                    something); otherwise it sets the session's database and succeeds
     */
    public CommandHandler(ClientSession session, Function<ClientSession, QueryResponder> queries, ReplicationCommands replication,
                          boolean initDbAsUse) {
        this.session = session;
        this.queries = queries;
        this.replication = replication;
        this.initDbAsUse = initDbAsUse;
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
                String database = payload.toString(StandardCharsets.UTF_8);
                if (initDbAsUse) {
                    query(ctx, "USE `" + database.replace("`", "``") + "`");
                } else {
                    session.database(database);
                    ok(ctx);
                }
            }
            case MySqlConstants.COM_RESET_CONNECTION -> {
                session.resetVariables();
                ok(ctx);
            }
            case MySqlConstants.COM_SET_OPTION -> {
                WireFormat.readInt2(payload, "option");
                // MySQL answers COM_SET_OPTION with an EOF packet.
                ctx.writeAndFlush(session.deprecateEof()
                        ? ResponsePackets.ok(ctx.alloc(), 0, session.serverStatus())
                        : ResponsePackets.eof(ctx.alloc(), session.serverStatus()));
            }
            case MySqlConstants.COM_STATISTICS -> {
                ByteBuf stats = ctx.alloc().buffer();
                stats.writeCharSequence("Uptime: 1  Threads: 1  Questions: 0  Slow queries: 0  Opens: 0  "
                        + "Flush tables: 0  Open tables: 0  Queries per second avg: 0.000", StandardCharsets.US_ASCII);
                ctx.writeAndFlush(stats);
            }
            case MySqlConstants.COM_REGISTER_SLAVE, MySqlConstants.COM_BINLOG_DUMP, MySqlConstants.COM_BINLOG_DUMP_GTID -> {
                if (replication == null) {
                    unknownCommand(ctx);
                } else if (mayReplicate(ctx)) {
                    replication.command(ctx, command, payload);
                }
            }
            default -> unknownCommand(ctx);
        }
    }

    /**
     * Whether the user holds {@code replication} on the connection's cluster; if not, MySQL's ERROR 1227 for REPLICATION
     * SLAVE is sent. With no cluster chosen, holding it anywhere is enough here: the server's replication commands then
     * say how to choose one.
     */
    private boolean mayReplicate(ChannelHandlerContext ctx) {
        String cluster = session.cluster();
        if (cluster != null ? session.grants().allows(Privilege.REPLICATION, cluster)
                : session.grants().allows(Privilege.REPLICATION, null) || session.grants().allowsOnSomeCluster(Privilege.REPLICATION)) {
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
        session.statementStarted(sql);
        boolean answeredLater = false;
        try {
            QueryResult result = queries.apply(session).respond(sql, session);
            if (result instanceof QueryResult.Deferred deferred) {
                answerLater(ctx, deferred.result());
                answeredLater = true;
            } else if (result instanceof QueryResult.Relayed relayed) {
                relay(ctx, relayed);
                answeredLater = true;
            } else {
                write(ctx, result);
            }
        } finally {
            if (!answeredLater) {
                session.commandEnded();
            }
        }
    }

    /**
     * Writes a deferred answer on the event loop once it is complete. Reading stops meanwhile, so the next command
     * is answered after this one, as MySQL's one thread per connection does.
     */
    private void answerLater(ChannelHandlerContext ctx, CompletableFuture<QueryResult> answer) {
        ctx.channel().config().setAutoRead(false);
        answer.whenComplete((result, failure) -> ctx.executor().execute(() -> {
            try {
                if (failure != null) {
                    LOG.warn("connection {}: statement failed", session.connectionId(), failure);
                    error(ctx, MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL, "Unknown error");
                } else if (result != null) {
                    write(ctx, result);
                }
            } finally {
                session.commandEnded();
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    /** A relayed answer: its payloads reach the client while it runs; what it completes with is written after them. */
    private void relay(ChannelHandlerContext ctx, QueryResult.Relayed relayed) {
        answerLater(ctx, relayed.relay().apply(new ChannelPayloadSink(ctx)));
    }

    private void write(ChannelHandlerContext ctx, QueryResult result) {
        if (result instanceof QueryResult.ResultSet rs) {
            ResultSetWriter.write(ctx, rs, session.deprecateEof(), session.serverStatus());
        } else if (result instanceof QueryResult.Error err) {
            error(ctx, err.code(), err.sqlState(), err.message());
        } else if (result instanceof QueryResult.Ok okResult) {
            ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc(), okResult.affectedRows(), session.serverStatus()));
        } else {
            throw new IllegalArgumentException("a deferred answer must complete with a final one, not " + result);
        }
    }

    private void ok(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc(), 0, session.serverStatus()));
    }

    private void unknownCommand(ChannelHandlerContext ctx) {
        error(ctx, MySqlConstants.ER_UNKNOWN_COM_ERROR, MySqlConstants.SQLSTATE_HANDSHAKE, "Unknown command");
    }

    private void error(ChannelHandlerContext ctx, int code, String state, String message) {
        ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), code, state, message));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (replication != null) {
            replication.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (client reset) end this connection only.
        LOG.debug("connection {}: closing after {}", session.connectionId(), cause.toString());
        ctx.close();
    }
}
