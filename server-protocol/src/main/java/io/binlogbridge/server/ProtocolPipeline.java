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
import io.netty.channel.Channel;
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
}
