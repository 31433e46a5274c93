package io.binlogbridge.relay.admin;

import io.binlogbridge.core.relay.LogGtidState;
import io.binlogbridge.relay.ops.RelayProgress;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.ProtocolPipeline;
import io.binlogbridge.server.ProtocolServer;
import io.binlogbridge.server.command.CommandHandler;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.handshake.Authenticator;
import io.binlogbridge.server.limits.UserConnections;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.LogState;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * relay-server's admin port: the MySQL protocol (shared with the replayer, {@link ProtocolPipeline}) with the
 * replica statements of {@link ReplicaStatements}, for operators and HA tools to re-point the relay at a new
 * source without restarting it. Statements that wait (START REPLICA, STOP REPLICA) hold their connection's
 * event loop: the port is for a handful of admin connections, so it gets a few threads of its own.
 */
public final class AdminServer implements AutoCloseable {
    /** The admin port's own MySQL identity; its version is what clients check features against. */
    static final String VERSION = "8.0.40-binlog-bridge-relay";

    private final ProtocolServer listener;
    private final Authenticator authenticator;
    private final AdminLogState logState;
    private final QueryResponder queries;
    private final TransportSecurity security;
    private final AtomicInteger connectionIds = new AtomicInteger();

    /**
     * @param users    the users file's accounts now: those allowed on the admin port
     * @param security TLS offered (--admin-tls-cert) and required (--admin-require-secure-transport) or not
     * @param rsaKeys  the key pair of caching_sha2_password's full authentication without TLS
     */
    public AdminServer(String bindAddress, int port, Supplier<UserAccounts> users, TransportSecurity security, Supplier<RsaKeys> rsaKeys,
                       ReplicaThread replica, RelayProgress progress, Duration startWait) {
        ReplicaStatus.LogGtidStateCache gtids = new ReplicaStatus.LogGtidStateCache(progress, replica::settings);
        this.security = security;
        this.authenticator = new Authenticator(users, rsaKeys, UserConnections.unlimited());
        this.logState = new AdminLogState(replica, gtids);
        this.queries = new QueryResponder(logState,
                List.of(new ReplicaStatements(replica, new ReplicaStatus(replica, progress, gtids), startWait)));
        this.listener = new ProtocolServer("relay admin port", bindAddress, port, 4, this::initConnection);
    }

    /** Binds and returns the bound port. */
    public int start() throws InterruptedException {
        return listener.start();
    }

    private void initConnection(Channel ch) {
        ClientSession session = new ClientSession(connectionIds.incrementAndGet() & 0x7FFFFFFF, ProtocolServer.hostOf(ch.remoteAddress()));
        ProtocolPipeline.install(ch, session, authenticator, logState::identity, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD,
                security, new CommandHandler(session, queries, null));
    }

    @Override
    public void close() {
        listener.close();
    }

    /** What SELECT @@server_id, @@gtid_executed and the like answer on the admin port: the relay and its log. */
    private record AdminLogState(ReplicaThread replica, ReplicaStatus.LogGtidStateCache gtids) implements LogState {
        /** The admin port's own identity; @@server_id is the relay's --server-id. */
        @Override
        public ServerIdentity identity() {
            return new ServerIdentity(Flavor.MYSQL, VERSION, replica.settings().source().serverId(), "", "CRC32", true, 0,
                    "binlog-bridge relay admin port");
        }

        @Override
        public List<BinaryLog> binaryLogs() {
            return List.of();
        }

        @Override
        public BinlogPosition currentPosition() {
            return new BinlogPosition("", 0);
        }

        @Override
        public String gtidExecuted() {
            LogGtidState state = gtids.current();
            return state == null ? "" : state.text();
        }

        @Override
        public String gtidPurged() {
            return "";
        }
    }
}
