package io.binlogbridge.replayer.server;

import io.binlogbridge.server.wire.ResponsePackets;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.Session;
import io.netty.channel.ChannelHandlerContext;

/** The placeholder until dump streaming exists: ERR 1236, which replicas report and retry. */
public final class UnavailableDumpRequestHandler implements DumpRequestHandler {
    public static final UnavailableDumpRequestHandler INSTANCE = new UnavailableDumpRequestHandler();

    @Override
    public void startDump(ChannelHandlerContext ctx, Session session, DumpRequest request) {
        ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG,
                MySqlConstants.SQLSTATE_GENERAL, "binlog dump is not available"));
    }
}
