package io.binlogbridge.server.handshake;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.util.Map;

/**
 * Checks a client's scramble against the plaintext password from the users file. Because we hold the
 * plaintext, both plugins can be checked on the fast path, without ever asking for the password in the
 * clear (which MySQL only does over TLS or with RSA keys).
 */
public final class Authenticator {
    private final Map<String, String> passwords;

    public Authenticator(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    public static boolean supports(String plugin) {
        return MySqlConstants.CACHING_SHA2_PASSWORD.equals(plugin) || MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin);
    }

    /** Whether {@code response} is the right answer of {@code plugin} to {@code seed} for this user. */
    public boolean check(String user, String plugin, byte[] seed, byte[] response) {
        String password = user == null ? null : passwords.get(user);
        if (password == null || !supports(plugin)) {
            return false;
        }
        if (password.isEmpty()) {
            // Clients send nothing (or a lone NUL) for an empty password.
            return response.length == 0 || (response.length == 1 && response[0] == 0);
        }
        byte[] expected = MySqlConstants.MYSQL_NATIVE_PASSWORD.equals(plugin)
                ? Scrambles.nativePassword(password, seed)
                : Scrambles.cachingSha2Password(password, seed);
        return Scrambles.matches(expected, response);
    }
}
