package io.binlogbridge.replayer.server;

import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.server.handshake.Authenticator;

import io.binlogbridge.replayer.query.BinlogEventsSource;
import io.binlogbridge.replayer.query.BinlogEventsStatement;
import io.binlogbridge.replayer.purge.PurgeStatement;
import io.binlogbridge.replayer.purge.Purger;
import io.binlogbridge.replayer.query.LogStatements;
import io.binlogbridge.replayer.query.ProcessList;
import io.binlogbridge.replayer.query.ServerStatements;
import io.binlogbridge.replayer.query.StatusVariables;
import io.binlogbridge.server.ProtocolPipeline;
import io.binlogbridge.server.ProtocolServer;
import io.binlogbridge.server.command.CommandHandler;
import io.binlogbridge.server.sql.LogState;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.sql.QueryBackend;
import io.binlogbridge.replayer.backend.QueryBackends;
import java.time.Clock;
import io.binlogbridge.replayer.session.BytesSentCounter;
import io.binlogbridge.replayer.session.ConnectionRegistry;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.ServerCounters;
import io.binlogbridge.replayer.session.Session;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import io.binlogbridge.server.access.ClusterSelection;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.StatementFamily;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.limits.UserConnections;
import io.binlogbridge.server.rsa.RsaKeys;
import java.util.Collections;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replayer's MySQL protocol server: the common pipeline ({@link ProtocolPipeline}) with the replayer's
 * statements ({@link LogStatements}, {@link ServerStatements}) and replication commands ({@link ReplicaCommands}).
 */
public final class ReplayerServer implements AutoCloseable {

    /**
     * @param bindAddress  host or IP to listen on ("0.0.0.0" for all)
     * @param port         0 picks a free port (tests)
     * @param users        the users file as it is now (re-read when it changes)
     * @param workerThreads 0 = Netty's default (2 × cores)
     * @param security     TLS offered, and required or not
     * @param maxConnections connections served at once; more get ERROR 1040
     * @param rsaKeys      the key pair of caching_sha2_password's full authentication without TLS
     * @param maxUserConnections connections per user at once, 0 for no limit (a user's own limit in the file wins)
     */
    public record Settings(String bindAddress, int port, Supplier<UserAccounts> users, LogState logState,
                           DumpRequestHandler dumpRequestHandler, int maxPacketSize, int workerThreads, TransportSecurity security,
                           int maxConnections, Supplier<RsaKeys> rsaKeys, int maxUserConnections) {
        /** MySQL's default max_connections. */
        public static final int DEFAULT_MAX_CONNECTIONS = 151;

        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(logState, "logState");
            Objects.requireNonNull(dumpRequestHandler, "dumpRequestHandler");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(rsaKeys, "rsaKeys");
        }

        /** An RSA key pair generated when first needed, no limit per user. */
        public Settings(String bindAddress, int port, Supplier<UserAccounts> users, LogState logState,
                        DumpRequestHandler dumpRequestHandler, int maxPacketSize, int workerThreads, TransportSecurity security,
                        int maxConnections) {
            this(bindAddress, port, users, logState, dumpRequestHandler, maxPacketSize, workerThreads, security, maxConnections,
                    RsaKeys.generatedOnFirstUse("replayer"), 0);
        }

        /** Plaintext users with replication everywhere and no TLS (tests). */
        public Settings(String bindAddress, int port, Map<String, String> users, LogState logState,
                        DumpRequestHandler dumpRequestHandler, int maxPacketSize, int workerThreads) {
            this(bindAddress, port, UserAccounts.plaintext(users), logState, dumpRequestHandler, maxPacketSize, workerThreads,
                    TransportSecurity.PLAIN, DEFAULT_MAX_CONNECTIONS);
        }

        public static Settings of(int port, Map<String, String> users, LogState logState, DumpRequestHandler dumps) {
            return new Settings("0.0.0.0", port, users, logState, dumps, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0);
        }
    }

    private final Settings settings;
    private final Authenticator authenticator;
    /** Each cluster's registered replicas, by cluster name (SHOW REPLICAS lists those of the connection's cluster). */
    private final Map<String, ReplicaRegistry> replicas = new LinkedHashMap<>();
    /** Each cluster's query answers, by cluster name; the first cluster's also answer connections that chose none. */
    private final Map<String, QueryResponder> queries = new LinkedHashMap<>();
    private final QueryResponder defaultQueries;
    private final Map<String, ServedCluster> clusters = new LinkedHashMap<>();
    private final ClusterDumps dumps;
    private final QueryBackend backend;
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final ServerCounters counters = new ServerCounters();
    private final ProtocolServer listener;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayerServer.class);

    /** A server without the log's events to list (tests): SHOW BINLOG EVENTS fails as MySQL's does on a read error. */
    public ReplayerServer(Settings settings) {
        this(settings, request -> CompletableFuture.failedFuture(
                new BinlogEventsSource.BinlogEventsException("I/O error reading log event")));
    }

    /** @param binlogEvents reads SHOW BINLOG EVENTS' rows from the log */
    public ReplayerServer(Settings settings, BinlogEventsSource binlogEvents) {
        this(settings, binlogEvents, request -> CompletableFuture.completedFuture(new QueryResult.Error(
                MySqlConstants.ER_NOT_SUPPORTED_YET, MySqlConstants.SQLSTATE_SYNTAX, "This replayer does not purge its log")),
                QueryBackends.of(null));
    }

    /**
     * @param binlogEvents reads SHOW BINLOG EVENTS' rows from the log
     * @param purger       carries out PURGE BINARY LOGS
     * @param backend      answers what the log cannot (--query-backend)
     */
    public ReplayerServer(Settings settings, BinlogEventsSource binlogEvents, Purger purger, QueryBackend backend) {
        this(settings, List.of(new ServedCluster(DEFAULT_CLUSTER, settings.logState(), settings.dumpRequestHandler(), binlogEvents, purger)),
                backend);
    }

    /** The name of the one cluster of a server built without names (tests). */
    public static final String DEFAULT_CLUSTER = "default";

    /**
     * @param clusters the logs served, at least one; the first one's identity is in the greeting (sent before the
     *                 client names its cluster) and answers the queries of connections that chose none
     * @param backend  answers what the log cannot (--query-backend)
     */
    public ReplayerServer(Settings settings, List<ServedCluster> clusters, QueryBackend backend) {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("a replayer serves at least one cluster");
        }
        this.settings = settings;
        this.backend = backend;
        for (ServedCluster cluster : clusters) {
            if (this.clusters.put(cluster.name(), cluster) != null) {
                throw new IllegalArgumentException("cluster " + cluster.name() + " given twice");
            }
        }
        this.authenticator = new Authenticator(settings.users(), settings.rsaKeys(), new UserConnections(settings.maxUserConnections()),
                new ClusterSelection(List.copyOf(this.clusters.keySet())));
        ProcessList processList = new ProcessList(connections, System::currentTimeMillis);
        StatusVariables status = new StatusVariables(connections, counters, System.currentTimeMillis(), System::currentTimeMillis);
        for (ServedCluster cluster : clusters) {
            List<StatementFamily> families = new ArrayList<>();
            if (clusters.size() > 1) {
                // With one cluster USE stays what it always was: any name is accepted (and followed by the backend).
                families.add(new UseClusterStatement(this.clusters.keySet()));
            }
            ReplicaRegistry registry = new ReplicaRegistry();
            replicas.put(cluster.name(), registry);
            families.add(new LogStatements(registry));
            families.add(new ServerStatements(processList, status, new BinlogEventsStatement(cluster.binlogEvents())));
            families.add(new PurgeStatement(cluster.purger()));
            queries.put(cluster.name(), new QueryResponder(cluster.logState(), families, Clock.systemUTC(), backend));
        }
        this.defaultQueries = queries.get(clusters.get(0).name());
        this.dumps = new ClusterDumps(this.clusters);
        this.listener = new ProtocolServer("replayer", settings.bindAddress(), settings.port(), settings.workerThreads(), this::initConnection);
    }

    /** Binds and returns the bound port. */
    public synchronized int start() throws InterruptedException {
        return listener.start();
    }

    /** Builds one connection's pipeline; public so tests can build it on an EmbeddedChannel. */
    public void initConnection(Channel ch) {
        if (connections.size() >= settings.maxConnections()) {
            LOG.warn("refusing a connection from {}: {} connections are open, the most --max-connections allows",
                    ProtocolServer.addressOf(ch.remoteAddress()), connections.size());
            ProtocolPipeline.refuseTooManyConnections(ch);
            return;
        }
        Session session = new Session(nextConnectionId(), ProtocolServer.hostOf(ch.remoteAddress()),
                new ConnectionStats(counters, ProtocolServer.addressOf(ch.remoteAddress()), System.currentTimeMillis()));
        counters.connected();
        connections.opened(session);
        ch.closeFuture().addListener(f -> {
            connections.closed(session);
            backend.connectionClosed(session);
        });
        ProtocolPipeline.install(ch, session, authenticator, () -> settings.logState().identity(), settings.maxPacketSize(),
                settings.security(), new CommandHandler(session, this::queriesOf, new ReplicaCommands(session, () -> replicasOf(session),
                        dumps, () -> queriesOf(session).logState().identity().serverId()), clusters.size() > 1));
        // Head side of the handlers that frame packets: what it sees is what goes on the wire.
        ch.pipeline().addBefore("framed", "bytes-sent", new BytesSentCounter(session.stats()));
    }

    /** The query answers of the cluster {@code session} chose; the first cluster's while it chose none. */
    private QueryResponder queriesOf(ClientSession session) {
        String cluster = session.cluster();
        return cluster == null ? defaultQueries : queries.getOrDefault(cluster, defaultQueries);
    }

    /** The clusters served, by name, in the order given. */
    public Map<String, ServedCluster> clusters() {
        return Collections.unmodifiableMap(clusters);
    }

    private int nextConnectionId() {
        int id = connectionIds.incrementAndGet() & 0x7FFFFFFF;
        return id == 0 ? connectionIds.incrementAndGet() : id;
    }

    /** The replicas registered on the first cluster (the only one, unless the server serves several). */
    public ReplicaRegistry replicas() {
        return replicas.values().iterator().next();
    }

    /** The replica registry of the cluster {@code session} chose; the first cluster's while it chose none. */
    private ReplicaRegistry replicasOf(ClientSession session) {
        String cluster = session.cluster();
        ReplicaRegistry registry = cluster == null ? null : replicas.get(cluster);
        return registry != null ? registry : replicas();
    }

    /** The open client connections. */
    public ConnectionRegistry connections() {
        return connections;
    }

    /** Totals over all connections (bytes sent, authentication failures). */
    public ServerCounters counters() {
        return counters;
    }

    /** Closes the listening socket: connections already open carry on until {@link #close()}. */
    public void stopAccepting() {
        listener.stopAccepting();
    }

    /** True once the server accepts clients, until it is closed. */
    public boolean listening() {
        return listener.listening();
    }

    @Override
    public void close() {
        listener.close();
    }
}
