package io.binlogbridge.server.command;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * One connection's replication commands (COM_REGISTER_SLAVE, COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID), for a
 * server that serves a binlog. {@link CommandHandler} owns the payload and releases it after the call.
 */
public interface ReplicationCommands {
    /** @param payload the command's payload after its command byte */
    void command(ChannelHandlerContext ctx, int command, ByteBuf payload);

    /** The connection closed: forget what it registered. */
    void connectionClosed();
}
