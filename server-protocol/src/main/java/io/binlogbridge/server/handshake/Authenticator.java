package io.binlogbridge.server.handshake;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.ClusterSelection;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.LoginThrottle;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.limits.UserConnections;
import io.binlogbridge.server.rsa.RsaKeys;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Checks a client's answer against the users file's secret for that user (the file as it is now: it is re-read when
 * it changes). The plugin a user is checked with is the one its secret can verify: a native hash can only check
 * mysql_native_password scrambles, a sha2 hash caching_sha2_password ones, a plaintext password both.
 */
public final class Authenticator {
    private final Supplier<UserAccounts> accounts;
    private final Supplier<RsaKeys> rsaKeys;
    private final UserConnections userConnections;
    private final ClusterSelection clusters;

    private final LoginThrottle throttle = new LoginThrottle();

    /** No limit on connections per user; an RSA key pair generated when a client first needs one. */
    public Authenticator(Supplier<UserAccounts> accounts) {
        this(accounts, RsaKeys.generatedOnFirstUse("MySQL protocol server"), UserConnections.unlimited());
    }

    /**
     * @param rsaKeys         the key pair of caching_sha2_password's full authentication without TLS
     * @param userConnections connections per user, counted once authenticated
     */
    public Authenticator(Supplier<UserAccounts> accounts, Supplier<RsaKeys> rsaKeys, UserConnections userConnections) {
        this(accounts, rsaKeys, userConnections, ClusterSelection.NONE);
    }

    /** @param clusters the clusters a login name {@code user|NAME} may name */
    public Authenticator(Supplier<UserAccounts> accounts, Supplier<RsaKeys> rsaKeys, UserConnections userConnections,
                         ClusterSelection clusters) {
        this.accounts = accounts;
        this.rsaKeys = rsaKeys;
        this.userConnections = userConnections;
        this.clusters = clusters;
    }

    /** The clusters clients choose from. */
    public ClusterSelection clusters() {
        return clusters;
    }

    /** The RSA key pair clients without TLS encrypt their password with. */
    public RsaKeys rsaKeys() {
        return rsaKeys.get();
    }

    /** Connections per user, and their limits. */
    public UserConnections userConnections() {
        return userConnections;
    }

    /** Repeated failed logins per host, answered later and later. */
    public LoginThrottle throttle() {
        return throttle;
    }

    public static boolean supports(String plugin) {
        return MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin) || MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin);
    }

    /** The account of that name now, or null. */
    public UserAccount account(String user) {
        return accounts.get().get(user);
    }

    /**
     * The plugin to check {@code account} with after the client answered for {@code clientPlugin}: that one if the
     * secret can check it, else the secret's own (an AuthSwitchRequest). An unknown user is challenged as a known
     * one would be ({@code fallback}), so the answer does not tell which users exist.
     */
    public static String pluginFor(UserAccount account, String clientPlugin, String fallback) {
        if (account == null) {
            return supports(clientPlugin) ? clientPlugin : fallback;
        }
        if (account.secret().verifiesScrambleOf(clientPlugin)) {
            return clientPlugin;
        }
        return account.secret().verifiesScrambleOf(fallback) ? fallback : account.secret().plugin();
    }

    /** Whether {@code response} is the right answer of {@code plugin} to {@code seed} for {@code account}. */
    public static boolean check(UserAccount account, String plugin, byte[] seed, byte[] response) {
        return account != null && supports(plugin) && account.secret().matchesScramble(plugin, seed, response);
    }

    /**
     * Whether a client whose caching_sha2_password scramble did not match is asked for its password (full
     * authentication) rather than refused: the account's secret is MySQL's stored form, whose fast-path cache is empty
     * or stale, as MySQL asks.
     */
    public static boolean fullAuthenticationOnMiss(UserAccount account, String plugin, byte[] response) {
        return account != null && MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin) && response.length > 0
                && account.secret().fullAuthenticationOnMiss();
    }

    /**
     * The password of RSA full authentication: {@code cipher} decrypted with the private key, then XOR the seed
     * (clients XOR the NUL-terminated password with it, so a recorded packet does not log in on another connection).
     * Null when {@code cipher} is not a cipher text of the key.
     */
    public byte[] decryptPassword(byte[] cipher, byte[] seed) {
        byte[] plain = rsaKeys().decrypt(cipher);
        if (plain == null) {
            return null;
        }
        int seedLength = Math.min(seed.length, 20);
        for (int i = 0; i < plain.length && seedLength > 0; i++) {
            plain[i] ^= seed[i % seedLength];
        }
        return plain;
    }

    /** Whether a password sent in the clear (caching_sha2_password full authentication) is {@code account}'s. */
    public static boolean checkCleartext(UserAccount account, byte[] password) {
        int length = password.length;
        if (length > 0 && password[length - 1] == 0) {
            length--; // sent NUL-terminated
        }
        return account != null && account.secret().matchesCleartext(Arrays.copyOf(password, length));
    }
}
