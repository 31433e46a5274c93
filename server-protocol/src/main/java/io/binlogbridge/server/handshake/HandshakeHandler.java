package io.binlogbridge.server.handshake;

import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.server.wire.MalformedPacketException;
import io.binlogbridge.server.wire.ResponsePackets;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection phase: sends HandshakeV10, reads HandshakeResponse41, authenticates (with one
 * AuthSwitchRequest when the client answered for another plugin), then removes itself so that packets
 * flow to {@link CommandHandler}. Failures get MySQL's ERR and the connection is closed.
 *
 * <p>caching_sha2_password success is always the fast path ({@code 0x01 0x03} then OK): we hold the
 * plaintext password, so we can check the scramble and never need full authentication, which MySQL
 * clients only do over TLS.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    private enum State { GREETING_SENT, AUTH_SWITCH_SENT, DONE, FAILED }

    private final ClientSession session;
    private final Authenticator authenticator;
    private final Supplier<String> serverVersion;
    private final String defaultPlugin;
    private final int commandMaxPayload;

    private State state = State.GREETING_SENT;
    private byte[] seed;
    private String plugin;

    /**
     * @param serverVersion     the version for the greeting, read when the client connects
     * @param defaultPlugin     the plugin we challenge with first
     * @param commandMaxPayload the packet size limit once authenticated
     */
    public HandshakeHandler(ClientSession session, Authenticator authenticator, Supplier<String> serverVersion,
                            String defaultPlugin, int commandMaxPayload) {
        this.session = session;
        this.authenticator = authenticator;
        this.serverVersion = serverVersion;
        this.defaultPlugin = defaultPlugin;
        this.commandMaxPayload = commandMaxPayload;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        seed = HandshakeV10.newSeed();
        plugin = defaultPlugin;
        PacketSequence.of(ctx.channel()).reset();
        ctx.writeAndFlush(HandshakeV10.greeting(ctx.alloc(), serverVersion.get(), session.connectionId(), seed, plugin));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.FAILED) {
            ReferenceCountUtil.release(msg); // closing: nothing after a refusal is read
            return;
        }
        if (state == State.DONE || !(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf payload = (ByteBuf) msg;
        try {
            if (state == State.GREETING_SENT) {
                handshakeResponse(ctx, payload);
            } else {
                byte[] answer = new byte[payload.readableBytes()];
                payload.readBytes(answer);
                verify(ctx, answer);
            }
        } catch (MalformedPacketException e) {
            LOG.debug("connection {}: bad handshake: {}", session.connectionId(), e.getMessage());
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_HANDSHAKE_ERROR,
                    MySqlConstants.SQLSTATE_HANDSHAKE, "Bad handshake"));
        } finally {
            payload.release();
        }
    }

    private void handshakeResponse(ChannelHandlerContext ctx, ByteBuf payload) {
        if (!HandshakeResponse.isProtocol41(payload)) {
            // A pre-4.1 client cannot do any of the auth plugins; MySQL refuses it the same way.
            fail(ctx, ResponsePackets.errPre41(ctx.alloc(), ResponsePackets.ER_NOT_SUPPORTED_AUTH_MODE,
                    "Client does not support authentication protocol requested by server; consider upgrading MySQL client"));
            return;
        }
        if (HandshakeResponse.isSslRequest(payload)) {
            // We never offered CLIENT_SSL.
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_HANDSHAKE_ERROR,
                    MySqlConstants.SQLSTATE_HANDSHAKE, "Bad handshake"));
            return;
        }
        HandshakeResponse response = HandshakeResponse.parse(payload);
        session.user(response.user());
        session.capabilities(response.capabilities() & HandshakeV10.SERVER_CAPABILITIES);
        session.database(response.database());
        session.connectAttributes(response.connectAttributes());
        String clientName = response.connectAttributes().getOrDefault("_client_name", "");
        if (clientName.toLowerCase(Locale.ROOT).contains("mariadb")) {
            session.markMariaDbClient();
        }
        String clientPlugin = response.authPlugin();
        if (clientPlugin == null) {
            // No CLIENT_PLUGIN_AUTH: a 4.1-style client, which can only answer with the native scramble.
            plugin = MySqlConstants.MYSQL_NATIVE_PASSWORD;
            verify(ctx, response.authResponse());
        } else if (clientPlugin.equals(plugin)) {
            verify(ctx, response.authResponse());
        } else {
            // The client answered for another plugin than we asked for. Ask again, for its plugin if we
            // can check that one (old replicas only speak mysql_native_password), else for ours.
            plugin = Authenticator.supports(clientPlugin) ? clientPlugin : defaultPlugin;
            seed = HandshakeV10.newSeed();
            state = State.AUTH_SWITCH_SENT;
            ctx.writeAndFlush(HandshakeV10.authSwitchRequest(ctx.alloc(), plugin, seed));
        }
    }

    private void verify(ChannelHandlerContext ctx, byte[] answer) {
        if (!authenticator.check(session.user(), plugin, seed, answer)) {
            LOG.info("connection {}: access denied for user '{}'@'{}'", session.connectionId(), session.user(), session.remoteHost());
            session.authenticationFailed();
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_ACCESS_DENIED_ERROR, MySqlConstants.SQLSTATE_ACCESS_DENIED,
                    "Access denied for user '" + session.user() + "'@'" + session.remoteHost()
                            + "' (using password: " + (answer.length > 0 ? "YES" : "NO") + ")"));
            return;
        }
        if (MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin) && answer.length > 0) {
            ByteBuf fast = ctx.alloc().buffer(2);
            fast.writeByte(MySqlConstants.AUTH_MORE_DATA).writeByte(MySqlConstants.CACHING_SHA2_FAST_AUTH_SUCCESS);
            ctx.write(fast);
        }
        state = State.DONE;
        session.authenticated(true);
        PacketFrameDecoder decoder = ctx.pipeline().get(PacketFrameDecoder.class);
        if (decoder != null) {
            decoder.maxPayload(commandMaxPayload);
        }
        ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc()));
        ctx.pipeline().remove(this);
        LOG.debug("connection {}: user '{}' authenticated with {}", session.connectionId(), session.user(), plugin);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf err) {
        state = State.FAILED;
        ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
    }
}
