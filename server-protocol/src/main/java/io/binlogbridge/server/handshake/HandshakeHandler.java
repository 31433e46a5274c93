package io.binlogbridge.server.handshake;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.ClusterSelection;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.limits.UserConnections;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.tls.ClientCertificates;
import io.binlogbridge.server.wire.MalformedPacketException;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.server.wire.ResponsePackets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection phase: sends HandshakeV10, reads HandshakeResponse41, authenticates (with one
 * AuthSwitchRequest when the client answered for a plugin the user's stored secret cannot check), then removes itself
 * so that packets flow to {@link CommandHandler}. Failures get MySQL's ERR and the connection is closed.
 *
 * <p>With TLS offered, an SSLRequest never reaches this handler: {@code SslRequestHandler} switches the connection to
 * TLS and the client repeats its response inside it. caching_sha2_password succeeds on the fast path
 * ({@code 0x01 0x03} then OK) when the secret can check the scramble; over TLS, a user whose secret cannot (a
 * mysql_native_password hash) is asked for full authentication ({@code 0x01 0x04}: the client sends the password),
 * which MySQL clients only do over TLS. A user whose secret is MySQL's own caching_sha2 form ({@code $A$005$…}) is
 * asked for full authentication when its scramble misses the fast-path cache, over TLS or not: without TLS the client
 * asks for the RSA public key ({@code 0x02}) or has it already, and sends the password encrypted with it. Under
 * {@code --require-secure-transport}, an authenticated plain connection gets ERROR 3159, as MySQL answers; then come
 * the user's TLS requirement and its connection limit (ERROR 1226 / 1203).
 *
 * <p>A login name {@code user|NAME} authenticates {@code user} and chooses cluster NAME of the server's
 * {@link io.binlogbridge.server.access.ClusterSelection}; once the password is right, a NAME that is no cluster gets
 * ERROR 1049 "Unknown database", as MySQL answers a login naming a database it lacks.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    private enum State { GREETING_SENT, AUTH_SWITCH_SENT, FULL_AUTH_REQUESTED, PUBLIC_KEY_SENT, DONE, FAILED }

    private final ClientSession session;
    private final Authenticator authenticator;
    private final Supplier<String> serverVersion;
    private final String defaultPlugin;
    private final int commandMaxPayload;
    private final boolean offerTls;
    private final boolean requireSecureTransport;

    private State state = State.GREETING_SENT;
    private byte[] seed;
    private String plugin;
    private UserAccount account;
    /** The cluster the client named at login ({@code user|NAME}, or a cluster's name as its database), null for none. */
    private String requestedCluster;

    /**
     * @param serverVersion     the version for the greeting, read when the client connects
     * @param defaultPlugin     the plugin we challenge with first
     * @param commandMaxPayload the packet size limit once authenticated
     * @param offerTls          CLIENT_SSL in the greeting (an SslRequestHandler is first in the pipeline)
     * @param requireSecureTransport refuse authenticated clients that did not switch to TLS (ERROR 3159)
     */
    public HandshakeHandler(ClientSession session, Authenticator authenticator, Supplier<String> serverVersion,
                            String defaultPlugin, int commandMaxPayload, boolean offerTls, boolean requireSecureTransport) {
        this.session = session;
        this.authenticator = authenticator;
        this.serverVersion = serverVersion;
        this.defaultPlugin = defaultPlugin;
        this.commandMaxPayload = commandMaxPayload;
        this.offerTls = offerTls;
        this.requireSecureTransport = requireSecureTransport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        seed = HandshakeV10.newSeed();
        plugin = defaultPlugin;
        PacketSequence.of(ctx.channel()).reset();
        ctx.writeAndFlush(HandshakeV10.greeting(ctx.alloc(), serverVersion.get(), session.connectionId(), seed, plugin, offerTls));
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
                if (state == State.FULL_AUTH_REQUESTED && secure(ctx)) {
                    verifyCleartext(ctx, answer, "over TLS");
                } else if (state == State.FULL_AUTH_REQUESTED && answer.length == 1
                        && answer[0] == MySqlConstants.CACHING_SHA2_REQUEST_PUBLIC_KEY) {
                    sendPublicKey(ctx);
                } else if (state == State.FULL_AUTH_REQUESTED || state == State.PUBLIC_KEY_SENT) {
                    verifyEncrypted(ctx, answer);
                } else {
                    verify(ctx, answer);
                }
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
            // CLIENT_SSL was not offered, or this is a second SSLRequest inside TLS.
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_HANDSHAKE_ERROR,
                    MySqlConstants.SQLSTATE_HANDSHAKE, "Bad handshake"));
            return;
        }
        HandshakeResponse response = HandshakeResponse.parse(payload);
        // user|NAME targets cluster NAME (as Vitess's vtgate reads user|keyspace); the password is the user's.
        ClusterSelection.LoginName login = ClusterSelection.LoginName.parse(response.user());
        session.user(login.user());
        session.capabilities(response.capabilities() & HandshakeV10.SERVER_CAPABILITIES);
        session.database(response.database());
        requestedCluster = login.cluster() != null ? login.cluster()
                : authenticator.clusters().contains(response.database()) ? response.database() : null;
        session.connectAttributes(response.connectAttributes());
        String clientName = response.connectAttributes().getOrDefault("_client_name", "");
        if (clientName.toLowerCase(Locale.ROOT).contains("mariadb")) {
            session.markMariaDbClient();
        }
        account = authenticator.account(login.user());
        String clientPlugin = response.authPlugin();
        if (clientPlugin == null) {
            // No CLIENT_PLUGIN_AUTH: a 4.1-style client, which can only answer with the native scramble.
            plugin = MySqlConstants.MYSQL_NATIVE_PASSWORD;
            verify(ctx, response.authResponse());
            return;
        }
        String wanted = Authenticator.pluginFor(account, clientPlugin, defaultPlugin);
        if (wanted.equals(clientPlugin) && clientPlugin.equals(plugin)) {
            verify(ctx, response.authResponse());
        } else if (!wanted.equals(clientPlugin) && MySqlConstants.CACHING_SHA2_PASSWORD.equals(clientPlugin) && secure(ctx)) {
            // Over TLS the client may send its password: check it against whatever the secret is, no second round trip.
            plugin = clientPlugin;
            requestFullAuthentication(ctx);
        } else {
            // The client answered for another plugin than we asked for, or one the stored secret cannot check: ask again,
            // for its plugin if the secret can check that one (old replicas only speak mysql_native_password), else for
            // the secret's.
            plugin = wanted;
            seed = HandshakeV10.newSeed();
            state = State.AUTH_SWITCH_SENT;
            ctx.writeAndFlush(HandshakeV10.authSwitchRequest(ctx.alloc(), plugin, seed));
        }
    }

    private static boolean secure(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    /** caching_sha2_password's "perform full authentication": the client sends its password, in TLS or RSA-encrypted. */
    private void requestFullAuthentication(ChannelHandlerContext ctx) {
        state = State.FULL_AUTH_REQUESTED;
        ByteBuf full = ctx.alloc().buffer(2);
        full.writeByte(MySqlConstants.AUTH_MORE_DATA).writeByte(MySqlConstants.CACHING_SHA2_PERFORM_FULL_AUTHENTICATION);
        ctx.writeAndFlush(full);
    }

    private void sendPublicKey(ChannelHandlerContext ctx) {
        byte[] pem = authenticator.rsaKeys().publicKeyPem().getBytes(StandardCharsets.US_ASCII);
        state = State.PUBLIC_KEY_SENT;
        ByteBuf key = ctx.alloc().buffer(1 + pem.length);
        key.writeByte(MySqlConstants.AUTH_MORE_DATA).writeBytes(pem);
        ctx.writeAndFlush(key);
    }

    /**
     * Without TLS, anything but the RSA cipher text of the password is refused, as MySQL does (a password in the clear,
     * from a client that would send it, gets 1045 and is not checked). Clients that have no key and may not ask for one
     * close the connection themselves (libmysqlclient's 2061, Connector/J's "Public Key Retrieval is not allowed").
     */
    private void verifyEncrypted(ChannelHandlerContext ctx, byte[] cipher) {
        byte[] password = authenticator.decryptPassword(cipher, seed);
        if (password == null) {
            LOG.info("connection {}: user '{}' sent no RSA-encrypted password in full authentication without TLS ({} bytes)",
                    session.connectionId(), session.user(), cipher.length);
            denied(ctx, true);
            return;
        }
        verifyCleartext(ctx, password, "with the server's RSA public key");
    }

    private void verifyCleartext(ChannelHandlerContext ctx, byte[] password, String how) {
        if (!Authenticator.checkCleartext(account, password)) {
            denied(ctx, password.length > 1 || (password.length == 1 && password[0] != 0));
            return;
        }
        LOG.info("connection {}: user '{}' passed caching_sha2_password full authentication {}", session.connectionId(), session.user(), how);
        authenticated(ctx);
    }

    private void verify(ChannelHandlerContext ctx, byte[] answer) {
        if (!Authenticator.check(account, plugin, seed, answer)) {
            if (Authenticator.fullAuthenticationOnMiss(account, plugin, answer)) {
                requestFullAuthentication(ctx);
                return;
            }
            denied(ctx, answer.length > 0);
            return;
        }
        if (MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin) && answer.length > 0) {
            ByteBuf fast = ctx.alloc().buffer(2);
            fast.writeByte(MySqlConstants.AUTH_MORE_DATA).writeByte(MySqlConstants.CACHING_SHA2_FAST_AUTH_SUCCESS);
            ctx.write(fast);
        }
        authenticated(ctx);
    }

    private void denied(ChannelHandlerContext ctx, boolean usingPassword) {
        LOG.info("connection {}: access denied for user '{}'@'{}'", session.connectionId(), session.user(), session.remoteHost());
        session.authenticationFailed();
        ByteBuf err = ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_ACCESS_DENIED_ERROR, MySqlConstants.SQLSTATE_ACCESS_DENIED,
                "Access denied for user '" + session.user() + "'@'" + session.remoteHost()
                        + "' (using password: " + (usingPassword ? "YES" : "NO") + ")");
        Duration delay = authenticator.throttle().failed(session.remoteHost());
        if (delay.isZero()) {
            fail(ctx, err);
        } else {
            state = State.FAILED;
            ctx.executor().schedule(() -> fail(ctx, err), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void authenticated(ChannelHandlerContext ctx) {
        if (requireSecureTransport && !secure(ctx)) {
            // MySQL checks this after the password (a wrong one still gets 1045).
            LOG.info("connection {}: user '{}'@'{}' refused: not TLS and --require-secure-transport", session.connectionId(),
                    session.user(), session.remoteHost());
            ctx.flush();
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_SECURE_TRANSPORT_REQUIRED, MySqlConstants.SQLSTATE_GENERAL,
                    "Connections using insecure transport are prohibited while --require_secure_transport=ON."));
            return;
        }
        if (account.options().requireX509() && !ClientCertificates.verified(ctx.pipeline().get(SslHandler.class))) {
            // REQUIRE X509: MySQL answers a client without a verified certificate as a wrong password.
            LOG.info("connection {}: user '{}'@'{}' requires a client certificate (require=x509) and presented no verified one",
                    session.connectionId(), session.user(), session.remoteHost());
            ctx.flush();
            denied(ctx, true);
            return;
        }
        ClusterSelection.Choice cluster = authenticator.clusters().choose(requestedCluster, account.grants());
        if (cluster instanceof ClusterSelection.Choice.Unknown unknown) {
            // As MySQL answers a login naming a database it does not have: after the password, so it tells nothing to strangers.
            LOG.info("connection {}: user '{}'@'{}' refused: no cluster '{}' (clusters: {})", session.connectionId(), session.user(),
                    session.remoteHost(), unknown.cluster(), authenticator.clusters().names());
            ctx.flush();
            fail(ctx, ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_BAD_DB_ERROR, MySqlConstants.SQLSTATE_SYNTAX,
                    "Unknown database '" + unknown.cluster() + "'"));
            return;
        }
        session.cluster(cluster instanceof ClusterSelection.Choice.Selected selected ? selected.cluster() : null);
        UserConnections.Refusal refusal = authenticator.userConnections().acquire(session.user(), account.options().maxUserConnections());
        if (refusal != null) {
            LOG.info("connection {}: user '{}'@'{}' refused: {}", session.connectionId(), session.user(), session.remoteHost(), refusal.message());
            ctx.flush();
            fail(ctx, ResponsePackets.err(ctx.alloc(), refusal.code(), refusal.sqlState(), refusal.message()));
            return;
        }
        String counted = session.user();
        ctx.channel().closeFuture().addListener(f -> authenticator.userConnections().release(counted));
        state = State.DONE;
        authenticator.throttle().succeeded(session.remoteHost());
        session.authenticated(true);
        session.grants(account.grants());
        PacketFrameDecoder decoder = ctx.pipeline().get(PacketFrameDecoder.class);
        if (decoder != null) {
            decoder.maxPayload(commandMaxPayload);
        }
        ctx.writeAndFlush(ResponsePackets.ok(ctx.alloc()));
        ctx.pipeline().remove(this);
        LOG.debug("connection {}: user '{}' authenticated with {}{}", session.connectionId(), session.user(), plugin,
                secure(ctx) ? " over TLS" : "");
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf err) {
        state = State.FAILED;
        ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
    }
}
