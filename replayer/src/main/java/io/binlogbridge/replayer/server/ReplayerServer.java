package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.LogState;
import io.binlogbridge.replayer.query.QueryResponder;
import io.binlogbridge.replayer.session.ConnectionRegistry;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.ServerCounters;
import io.binlogbridge.replayer.session.Session;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.tls.ServerTls;
import io.binlogbridge.server.tls.SslRequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL protocol server: one boss thread accepting, worker threads running each connection's
 * pipeline {@code [SslRequestHandler →] FramedPackets.Unwrapper → PacketEncoder → PacketFrameDecoder → HandshakeHandler → CommandHandler}.
 */
public final class ReplayerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayerServer.class);

    /**
     * @param bindAddress  host or IP to listen on ("0.0.0.0" for all)
     * @param port         0 picks a free port (tests)
     * @param users        the users file as it is now (re-read when it changes)
     * @param workerThreads 0 = Netty's default (2 × cores)
     * @param tls          null: no TLS (CLIENT_SSL not offered)
     * @param requireSecureTransport refuse clients that do not switch to TLS (ERROR 3159)
     */
    public record Settings(String bindAddress, int port, Supplier<UserAccounts> users, LogState logState,
                           DumpRequestHandler dumpRequestHandler, int maxPacketSize, int workerThreads, ServerTls tls,
                           boolean requireSecureTransport) {
        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(logState, "logState");
            Objects.requireNonNull(dumpRequestHandler, "dumpRequestHandler");
            if (requireSecureTransport && tls == null) {
                throw new IllegalArgumentException("requireSecureTransport needs TLS");
            }
        }

        /** Plaintext users with replication everywhere and no TLS (tests). */
        public Settings(String bindAddress, int port, Map<String, String> users, LogState logState,
                        DumpRequestHandler dumpRequestHandler, int maxPacketSize, int workerThreads) {
            this(bindAddress, port, plaintext(users), logState, dumpRequestHandler, maxPacketSize, workerThreads, null, false);
        }

        public static Settings of(int port, Map<String, String> users, LogState logState, DumpRequestHandler dumps) {
            return new Settings("0.0.0.0", port, users, logState, dumps, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0);
        }

        private static Supplier<UserAccounts> plaintext(Map<String, String> users) {
            List<UserAccount> accounts = new ArrayList<>();
            users.forEach((name, password) -> accounts.add(new UserAccount(name, new StoredSecret.Plaintext(password), Grants.DEFAULT)));
            UserAccounts fixed = new UserAccounts(accounts);
            return () -> fixed;
        }
    }

    private final Settings settings;
    private final Authenticator authenticator;
    private final ReplicaRegistry replicas = new ReplicaRegistry();
    private final QueryResponder queries;
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final ServerCounters counters = new ServerCounters();
    private volatile boolean listening;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    public ReplayerServer(Settings settings) {
        this.settings = settings;
        this.authenticator = new Authenticator(settings.users());
        this.queries = new QueryResponder(settings.logState(), replicas);
    }

    /** Binds and returns the bound port. */
    public synchronized int start() throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(settings.workerThreads(), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // A slow replica stops its dump from reading the log once this much is queued for it.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initConnection(ch);
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.bindAddress(), settings.port()).sync().channel();
        } catch (Throwable e) {
            // Netty rethrows the bind failure (a checked BindException) unchecked: release the threads either way.
            close();
            throw e;
        }
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("replayer listening on {}:{}", settings.bindAddress(), port);
        listening = true;
        return port;
    }

    /** Builds one connection's pipeline; public so tests can build it on an EmbeddedChannel. */
    public void initConnection(Channel ch) {
        Session session = new Session(nextConnectionId(), hostOf(ch.remoteAddress()),
                new ConnectionStats(counters, addressOf(ch.remoteAddress()), System.currentTimeMillis()));
        connections.opened(session);
        ch.closeFuture().addListener(f -> connections.closed(session));
        if (settings.tls() != null) {
            ch.pipeline().addLast("sslRequest", new SslRequestHandler(settings.tls()));
        }
        ch.pipeline()
                .addLast("framed", FramedPackets.Unwrapper.INSTANCE)
                .addLast("encoder", PacketEncoder.INSTANCE)
                .addLast("decoder", new PacketFrameDecoder(PacketFrameDecoder.HANDSHAKE_MAX_PAYLOAD))
                .addLast("handshake", new HandshakeHandler(session, authenticator,
                        () -> settings.logState().identity().handshakeVersion(),
                        settings.logState().identity().mariaDb()
                                ? MySqlConstants.MYSQL_NATIVE_PASSWORD
                                : MySqlConstants.CACHING_SHA2_PASSWORD,
                        settings.maxPacketSize(), settings.tls() != null, settings.requireSecureTransport()))
                .addLast("command", new CommandHandler(session, queries, replicas, settings.dumpRequestHandler()));
    }

    private int nextConnectionId() {
        int id = connectionIds.incrementAndGet() & 0x7FFFFFFF;
        return id == 0 ? connectionIds.incrementAndGet() : id;
    }

    /** The client's address as MySQL prints it in "Access denied for user 'u'@'host'". */
    static String hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = inet.getAddress().getHostAddress();
            return inet.getAddress().isLoopbackAddress() ? "localhost" : ip;
        }
        return "localhost";
    }

    /** The client's address and port, as /status shows it. */
    static String addressOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    public ReplicaRegistry replicas() {
        return replicas;
    }

    /** The open client connections. */
    public ConnectionRegistry connections() {
        return connections;
    }

    /** Totals over all connections (bytes sent, authentication failures). */
    public ServerCounters counters() {
        return counters;
    }

    /** True once the server accepts clients, until it is closed. */
    public boolean listening() {
        return listening;
    }

    @Override
    public synchronized void close() {
        listening = false;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            boss = null;
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            workers = null;
        }
    }
}
