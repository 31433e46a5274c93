package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.command.ReplicationCommands;
import io.binlogbridge.server.wire.ResponsePackets;
import io.binlogbridge.server.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replayer connection's replication commands: a replica registers, then asks for a dump. */
final class ReplicaCommands implements ReplicationCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCommands.class);

    private final Session session;
    private final Supplier<ReplicaRegistry> replicas;
    private final DumpRequestHandler dumps;
    private final LongSupplier serverId;
    /** Where this connection's replica is listed, null until it registers. */
    private ReplicaRegistry registeredWith;

    /**
     * @param replicas the registry of the connection's cluster now (SHOW REPLICAS of that cluster lists the replica)
     * @param serverId the log's server id, which MySQL reports as master_id when a replica leaves it 0
     */
    ReplicaCommands(Session session, Supplier<ReplicaRegistry> replicas, DumpRequestHandler dumps, LongSupplier serverId) {
        this.session = session;
        this.replicas = replicas;
        this.dumps = dumps;
        this.serverId = serverId;
    }

    @Override
    public void command(ChannelHandlerContext ctx, int command, ByteBuf payload) {
        switch (command) {
            case MySqlConstants.COM_REGISTER_SLAVE -> registerSlave(ctx, payload);
            case MySqlConstants.COM_BINLOG_DUMP -> dumps.startDump(ctx, session, binlogDump(payload));
            case MySqlConstants.COM_BINLOG_DUMP_GTID -> dumps.startDump(ctx, session, binlogDumpGtid(payload));
            default -> throw new IllegalArgumentException("not a replication command: " + command);
        }
    }

    @Override
    public void connectionClosed() {
        if (registeredWith != null) {
            registeredWith.unregister(session);
        }
    }

    /** COM_REGISTER_SLAVE: server_id, report_host, report_user, report_password, port, rank, master_id. */
    private void registerSlave(ChannelHandlerContext ctx, ByteBuf p) {
        long replicaServerId = WireFormat.readInt4(p, "server id");
        String host = new String(WireFormat.readBytes(p, WireFormat.readInt1(p, "host length"), "host"), StandardCharsets.UTF_8);
        WireFormat.readBytes(p, WireFormat.readInt1(p, "user length"), "user");
        WireFormat.readBytes(p, WireFormat.readInt1(p, "password length"), "password");
        int port = WireFormat.readInt2(p, "port");
        long rank = p.readableBytes() >= 4 ? p.readUnsignedIntLE() : 0;
        long masterId = p.readableBytes() >= 4 ? p.readUnsignedIntLE() : 0;
        if (masterId == 0) {
            masterId = serverId.getAsLong(); // MySQL does the same
        }
        String uuid = session.userVariableString("replica_uuid");
        if (uuid == null) {
            uuid = session.userVariableString("slave_uuid");
        }
        if (registeredWith != null) {
            registeredWith.unregister(session);
        }
        registeredWith = replicas.get();
        registeredWith.register(session, new RegisteredReplica(replicaServerId, host, port, rank, masterId, uuid == null ? "" : uuid));
        LOG.info("connection {}: replica server_id={} registered from {} (report_host '{}', port {})",
                session.connectionId(), replicaServerId, session.remoteHost(), host, port);
        ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc()));
    }

    /** COM_BINLOG_DUMP: pos(4) flags(2) server_id(4) filename(rest). */
    private DumpRequest binlogDump(ByteBuf p) {
        long position = WireFormat.readInt4(p, "binlog position");
        int flags = WireFormat.readInt2(p, "flags");
        long replicaServerId = WireFormat.readInt4(p, "server id");
        String file = WireFormat.readRestString(p, StandardCharsets.UTF_8);
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, replicaServerId, flags, null, DumpSettings.from(session));
    }

    /** COM_BINLOG_DUMP_GTID: flags(2) server_id(4) name_size(4) name pos(8) data_size(4) data. */
    private DumpRequest binlogDumpGtid(ByteBuf p) {
        int flags = WireFormat.readInt2(p, "flags");
        long replicaServerId = WireFormat.readInt4(p, "server id");
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
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, file, position, replicaServerId, flags, gtids,
                DumpSettings.from(session));
    }
}
