package io.binlogbridge.server.security;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.OptionType;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.server.tls.TlsSettings;
import java.nio.file.Path;

/**
 * The transport and password-exchange options of a MySQL protocol server, as MySQL's own server variables: TLS
 * ({@code ssl_cert}, {@code ssl_key}, {@code ssl_ca}, {@code require_secure_transport}) and caching_sha2_password's RSA
 * key pair. Declared and parsed here for every server that uses this module, each under its own prefix: the replayer
 * none ({@code --tls-cert}), relay-server's admin port {@code admin-} ({@code --admin-tls-cert}), since the relay's
 * other TLS options are about its connection to the source.
 */
public final class SecurityOptions {
    /** The replayer's: the names MySQL's mysqld would use, without a prefix. */
    public static final SecurityOptions REPLAYER = new SecurityOptions("", "the server");
    /** relay-server's admin port. */
    public static final SecurityOptions RELAY_ADMIN_PORT = new SecurityOptions("admin-", "the admin port");

    private final String prefix;
    private final String server;

    private SecurityOptions(String prefix, String server) {
        this.prefix = prefix;
        this.server = server;
    }

    public String tlsCert() {
        return prefix + "tls-cert";
    }

    public String tlsKey() {
        return prefix + "tls-key";
    }

    public String tlsCa() {
        return prefix + "tls-ca";
    }

    public String requireSecureTransport() {
        return prefix + "require-secure-transport";
    }

    public String rsaPrivateKey() {
        return prefix + "rsa-private-key";
    }

    public String rsaPublicKey() {
        return prefix + "rsa-public-key";
    }

    /** Every option's name, without dashes. */
    public String[] names() {
        return new String[] {tlsCert(), tlsKey(), tlsCa(), requireSecureTransport(), rsaPrivateKey(), rsaPublicKey()};
    }

    public OptionSet declare(OptionSet options) {
        return options
                .optional(tlsCert(), OptionType.STRING, "PEM certificate (chain) of " + server + ": enables TLS (CLIENT_SSL, TLS 1.2/1.3), "
                        + "as MySQL's ssl_cert. Needs --" + tlsKey() + ". Reloaded when the file changes.")
                .optional(tlsKey(), OptionType.STRING, "PEM (PKCS#8) private key of --" + tlsCert() + ", as MySQL's ssl_key.")
                .optional(tlsCa(), OptionType.STRING, "PEM CA certificates that client certificates must chain to, if a client presents "
                        + "one (MySQL's ssl_ca). Users with require=x509 in the users file must present one (MySQL's REQUIRE X509).")
                .optional(rsaPrivateKey(), OptionType.STRING, "PEM RSA private key (PKCS#8 or PKCS#1, unencrypted) for caching_sha2_password "
                        + "full authentication without TLS: clients send the password encrypted with its public key (MySQL's "
                        + "caching_sha2_password_private_key_path). Needs --" + rsaPublicKey() + ". Without both, a 2048-bit pair is generated.")
                .optional(rsaPublicKey(), OptionType.STRING, "PEM RSA public key ('BEGIN PUBLIC KEY') of --" + rsaPrivateKey() + ", sent to "
                        + "clients that ask for it (GET_MASTER_PUBLIC_KEY=1, allowPublicKeyRetrieval=true), as MySQL's "
                        + "caching_sha2_password_public_key_path.")
                .flag(requireSecureTransport(), "Refuse clients that do not use TLS: ERROR 3159, as MySQL's require_secure_transport=ON. "
                        + "Needs --" + tlsCert() + ".");
    }

    /** The options' values, checked for the ones that go together; the files are read by {@link SecuritySettings}. */
    public SecuritySettings parse(Options o) throws OptionException {
        TlsSettings tls = tls(o);
        boolean requireSecureTransport = o.flag(requireSecureTransport());
        if (requireSecureTransport && tls == null) {
            throw new OptionException("--" + requireSecureTransport() + " needs --" + tlsCert() + " and --" + tlsKey());
        }
        if (o.has(rsaPrivateKey()) != o.has(rsaPublicKey())) {
            throw new OptionException("--" + rsaPrivateKey() + " and --" + rsaPublicKey() + " go together");
        }
        return new SecuritySettings(tls, requireSecureTransport, o.optional(rsaPrivateKey()).map(Path::of).orElse(null),
                o.optional(rsaPublicKey()).map(Path::of).orElse(null));
    }

    /** The first of these options that is set (the flag only when true), null when none is: for a server whose port is optional. */
    public String firstSet(Options o) {
        for (String name : names()) {
            if (name.equals(requireSecureTransport()) ? o.flag(name) : o.has(name)) {
                return name;
            }
        }
        return null;
    }

    private TlsSettings tls(Options o) throws OptionException {
        if (!o.has(tlsCert()) && !o.has(tlsKey())) {
            if (o.has(tlsCa())) {
                throw new OptionException("--" + tlsCa() + " needs --" + tlsCert() + " and --" + tlsKey());
            }
            return null;
        }
        if (!o.has(tlsCert()) || !o.has(tlsKey())) {
            throw new OptionException("--" + tlsCert() + " and --" + tlsKey() + " go together");
        }
        return new TlsSettings(Path.of(o.string(tlsCert())), Path.of(o.string(tlsKey())), o.optional(tlsCa()).map(Path::of).orElse(null));
    }
}
