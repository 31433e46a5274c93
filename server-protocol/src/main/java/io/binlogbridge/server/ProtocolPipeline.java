package io.binlogbridge.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.handshake.Authenticator;
import io.binlogbridge.server.handshake.HandshakeHandler;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.tls.SslRequestHandler;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.wire.FramedPackets;
import io.binlogbridge.server.wire.PacketEncoder;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.server.wire.ResponsePackets;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;

/**
 * The handlers every MySQL protocol connection runs, in order:
 * {@code [SslRequestHandler →] FramedPackets.Unwrapper → PacketEncoder → PacketFrameDecoder → HandshakeHandler → command handler}.
 */
public final class ProtocolPipeline {
    private ProtocolPipeline() {}

    /**
     * @param identity      who the server says it is, read when the client connects (version, flavor)
     * @param maxPacketSize the packet size limit once authenticated
     */
    public static void install(Channel ch, ClientSession session, Authenticator authenticator, Supplier<ServerIdentity> identity,
                               int maxPacketSize, ChannelHandler commandHandler) {
        install(ch, session, authenticator, identity, maxPacketSize, TransportSecurity.PLAIN, commandHandler);
    }

    /** @param security TLS offered and required or not; with TLS, {@link SslRequestHandler} comes first */
    public static void install(Channel ch, ClientSession session, Authenticator authenticator, Supplier<ServerIdentity> identity,
                               int maxPacketSize, TransportSecurity security, ChannelHandler commandHandler) {
        if (security.offersTls()) {
            ch.pipeline().addLast("sslRequest", new SslRequestHandler(security.tls()));
        }
        ch.pipeline()
                .addLast("framed", FramedPackets.Unwrapper.INSTANCE)
                .addLast("encoder", PacketEncoder.INSTANCE)
                .addLast("decoder", new PacketFrameDecoder(PacketFrameDecoder.HANDSHAKE_MAX_PAYLOAD))
                .addLast("handshake", new HandshakeHandler(session, authenticator,
                        () -> identity.get().handshakeVersion(),
                        // MariaDB servers challenge with mysql_native_password, MySQL 8.0 with caching_sha2_password.
                        identity.get().mariaDb() ? MySqlConstants.MYSQL_NATIVE_PASSWORD : MySqlConstants.CACHING_SHA2_PASSWORD,
                        maxPacketSize, security.offersTls(), security.requireSecureTransport()))
                .addLast("command", commandHandler);
    }

    /**
     * A connection the server will not take: MySQL's ERROR 1040 "Too many connections" in place of the greeting
     * (sequence 0, as mysqld sends it), then the connection closes. Clients and replicas report it and retry.
     */
    public static void refuseTooManyConnections(Channel ch) {
        ch.pipeline()
                .addLast("encoder", PacketEncoder.INSTANCE)
                .addLast("refusal", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        PacketSequence.of(ctx.channel()).reset();
                        ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_CON_COUNT_ERROR, SQLSTATE_CON_COUNT,
                                "Too many connections")).addListener(ChannelFutureListener.CLOSE);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                });
    }

    /** ER_CON_COUNT_ERROR's SQL state (mysqld_error.h). */
    private static final String SQLSTATE_CON_COUNT = "08004";
}
