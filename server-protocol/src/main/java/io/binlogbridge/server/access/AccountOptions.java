package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What MySQL keeps beside an account's privileges: its resource limit ({@code WITH MAX_USER_CONNECTIONS n}) and its
 * TLS requirement ({@code REQUIRE X509}). In the users file they are {@code key=value} entries of the privileges field:
 * {@code max_user_connections=N} and {@code require=x509}.
 *
 * @param maxUserConnections connections this user may hold at once; 0: the server's {@code --max-user-connections}
 * @param requireX509        the user must connect over TLS with a client certificate the server verified
 */
public record AccountOptions(int maxUserConnections, boolean requireX509) {
    public static final AccountOptions NONE = new AccountOptions(0, false);
    static final String MAX_USER_CONNECTIONS = "max_user_connections";
    static final String REQUIRE = "require";

    public AccountOptions {
        if (maxUserConnections < 0) {
            throw new IllegalArgumentException(MAX_USER_CONNECTIONS + " must not be negative");
        }
    }

    /** Whether {@code entry} of the privileges field is an option ({@code key=value}) rather than a privilege. */
    static boolean isOption(String entry) {
        return entry.indexOf('=') > 0;
    }

    /** This with the option {@code entry} ({@code key=value}) applied. @throws IllegalArgumentException naming it */
    AccountOptions with(String entry) {
        int eq = entry.indexOf('=');
        String key = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = entry.substring(eq + 1).strip();
        switch (key) {
            case MAX_USER_CONNECTIONS -> {
                int n;
                try {
                    n = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad " + MAX_USER_CONNECTIONS + " '" + value + "' (expected a number)");
                }
                if (n < 0) {
                    throw new IllegalArgumentException(MAX_USER_CONNECTIONS + " must not be negative, got " + n);
                }
                return new AccountOptions(n, requireX509);
            }
            case REQUIRE -> {
                if (value.equalsIgnoreCase("x509")) {
                    return new AccountOptions(maxUserConnections, true);
                }
                if (value.equalsIgnoreCase("none")) {
                    return new AccountOptions(maxUserConnections, false);
                }
                throw new IllegalArgumentException("bad require '" + value + "' (expected x509 or none)");
            }
            default -> throw new IllegalArgumentException("unknown option '" + key + "' (expected " + MAX_USER_CONNECTIONS + " or " + REQUIRE + ")");
        }
    }

    /** The entries as the file writes them, empty for {@link #NONE}. */
    List<String> entries() {
        List<String> entries = new ArrayList<>();
        if (maxUserConnections > 0) {
            entries.add(MAX_USER_CONNECTIONS + "=" + maxUserConnections);
        }
        if (requireX509) {
            entries.add(REQUIRE + "=x509");
        }
        return entries;
    }

    @Override
    public String toString() {
        return String.join(",", entries());
    }
}
