package io.binlogbridge.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS: an {@link SslContext} (JDK provider, TLS 1.2 and 1.3) built from {@link TlsSettings}, and
 * the {@link SslHandler} a connection inserts when the client sends an SSLRequest. When the certificate, key or CA
 * files change (modification time or size), the next connection rebuilds the context, so a renewed certificate is
 * served without a restart; a renewal that does not load is logged and the previous certificate stays in use.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** MySQL 8.0's default tls_version; older protocols are refused. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final TlsSettings settings;
    private volatile SslContext context;
    private volatile Object version;

    private ServerTls(TlsSettings settings, SslContext context, Object version) {
        this.settings = settings;
        this.context = context;
        this.version = version;
    }

    /** Loads the files now, so a bad certificate stops the server at start-up with one clear line. */
    public static ServerTls load(TlsSettings settings) throws TlsConfigurationException {
        Object version = versionOf(settings);
        return new ServerTls(settings, build(settings), version);
    }

    /** A handler for one connection's TLS session, from the newest certificate that loads. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        reloadIfChanged();
        return context.newHandler(alloc);
    }

    private void reloadIfChanged() {
        Object now;
        try {
            now = versionOf(settings);
        } catch (TlsConfigurationException e) {
            return; // mid-rename or deleted: keep serving the loaded certificate
        }
        if (Objects.equals(now, version)) {
            return;
        }
        synchronized (this) {
            if (Objects.equals(now, version)) {
                return;
            }
            version = now;
            try {
                context = build(settings);
                LOG.info("TLS certificate reloaded from {}", settings.certificate());
            } catch (TlsConfigurationException e) {
                LOG.error("TLS certificate not reloaded, the previous one stays in use: {}", e.getMessage());
            }
        }
    }

    private static SslContext build(TlsSettings settings) throws TlsConfigurationException {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(settings.certificate().toFile(), settings.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (settings.ca() != null) {
                // As MySQL with ssl_ca: a client may present a certificate, which must then chain to the CA.
                builder.trustManager(settings.ca().toFile()).clientAuth(ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsConfigurationException("cannot use TLS certificate " + settings.certificate() + " with key "
                    + settings.privateKey() + (settings.ca() != null ? " and CA " + settings.ca() : "") + ": " + rootMessage(e)
                    + " (the key must be a PKCS#8 PEM file, 'BEGIN PRIVATE KEY')", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    private static Object versionOf(TlsSettings settings) throws TlsConfigurationException {
        List<Object> version = new ArrayList<>();
        for (Path p : settings.ca() == null
                ? List.of(settings.certificate(), settings.privateKey())
                : List.of(settings.certificate(), settings.privateKey(), settings.ca())) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                version.add(a.lastModifiedTime());
                version.add(a.size());
            } catch (IOException e) {
                throw new TlsConfigurationException("cannot read " + p + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
            }
        }
        return version;
    }
}
