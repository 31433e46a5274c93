package io.binlogbridge.replayer.server;

import io.binlogbridge.replayer.session.Session;
import io.netty.channel.ChannelHandlerContext;

/**
 * Serves a binlog dump: the seam where the dump streaming (from the Kafka topic) plugs into the
 * protocol server. Called on the connection's event loop once the request is parsed; from then on the
 * implementation owns what the connection receives (events, heartbeats, EOF or ERR 1236), written
 * through {@code ctx} either as payloads ({@link PacketEncoder} frames them and numbers the packets) or as
 * {@link FramedPackets} it numbered itself, starting at {@link PacketSequence#peek()}. It must not block the
 * event loop.
 */
@FunctionalInterface
public interface DumpRequestHandler {
    void startDump(ChannelHandlerContext ctx, Session session, DumpRequest request);
}
