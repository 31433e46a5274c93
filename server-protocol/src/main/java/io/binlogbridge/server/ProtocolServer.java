package io.binlogbridge.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySQL protocol listener: one boss thread accepting, worker threads running each connection's pipeline,
 * which the server using it builds ({@link ProtocolPipeline} has the common part).
 */
public final class ProtocolServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServer.class);

    private final String name;
    private final String bindAddress;
    private final int port;
    private final int workerThreads;
    private final Consumer<Channel> connectionInitializer;
    private volatile boolean listening;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /**
     * @param name          what the log line says is listening ("replayer", "relay admin port")
     * @param bindAddress   host or IP to listen on ("0.0.0.0" for all)
     * @param port          0 picks a free port (tests)
     * @param workerThreads 0 = Netty's default (2 × cores)
     */
    public ProtocolServer(String name, String bindAddress, int port, int workerThreads, Consumer<Channel> connectionInitializer) {
        this.name = name;
        this.bindAddress = bindAddress;
        this.port = port;
        this.workerThreads = workerThreads;
        this.connectionInitializer = connectionInitializer;
    }

    /** Binds and returns the bound port. */
    public synchronized int start() throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
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
                        connectionInitializer.accept(ch);
                    }
                });
        try {
            serverChannel = bootstrap.bind(bindAddress, port).sync().channel();
        } catch (Throwable e) {
            // Netty rethrows the bind failure (a checked BindException) unchecked: release the threads either way.
            close();
            throw e;
        }
        int bound = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("{} listening on {}:{}", name, bindAddress, bound);
        listening = true;
        return bound;
    }

    /** Closes the listening socket; open connections carry on until {@link #close()}. */
    public synchronized void stopAccepting() {
        listening = false;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
            LOG.info("{} stopped accepting connections", name);
        }
    }

    /** True once the server accepts clients, until it is closed. */
    public boolean listening() {
        return listening;
    }

    /** The client's address as MySQL prints it in "Access denied for user 'u'@'host'". */
    public static String hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = inet.getAddress().getHostAddress();
            return inet.getAddress().isLoopbackAddress() ? "localhost" : ip;
        }
        return "localhost";
    }

    /** The client's address and port, as a status page shows it. */
    public static String addressOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
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
