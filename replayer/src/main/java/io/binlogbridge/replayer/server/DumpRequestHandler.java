package io.binlogbridge.replayer.server;

import io.binlogbridge.replayer.session.Session;
import io.netty.channel.ChannelHandlerContext;

/**
 * Serves a binlog dump: the seam where the dump streaming (from the Kafka topic) plugs into the
 * protocol server. Called on the connection's event loop once the request is parsed; from then on the
 * implementation owns what the connection receives (events, heartbeats, EOF or ERR 1236), written as
 * payloads through {@code ctx} (framing and sequence ids are done by {@link PacketEncoder}). It must not
 * block the event loop.
 */
@FunctionalInterface
public interface DumpRequestHandler {
    void startDump(ChannelHandlerContext ctx, Session session, DumpRequest request);
}
