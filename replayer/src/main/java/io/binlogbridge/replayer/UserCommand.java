package io.binlogbridge.replayer;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccount;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar replayer.jar user add NAME [--privileges P] [--auth-plugin PLUGIN]}: reads the password from
 * stdin (its first line) and prints the users file line, with the password hashed, never stored.
 */
final class UserCommand {
    static final String USAGE = "usage: java -jar replayer.jar user add NAME [--privileges replication,admin,monitor[@CLUSTER],...]"
            + " [--auth-plugin caching_sha2_password|mysql_native_password]   (password on stdin)\n"
            + "  caching_sha2_password (default): MySQL 8 clients and replicas. mysql_native_password: MariaDB replicas and\n"
            + "  other clients that only speak it. --privileges also takes max_user_connections=N and require=x509.\n"
            + "  Prints the line to put in --users-file.";

    private UserCommand() {}

    /** Runs {@code user ...} (args without the leading "user"); returns the exit code. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            UserAccount account = parse(args, readPassword(in));
            out.println(account.toLine());
            return 0;
        } catch (OptionException e) {
            err.println("replayer user: " + e.getMessage());
            err.println(USAGE);
            return ReplayerMain.EXIT_USAGE;
        }
    }

    static UserAccount parse(String[] args, String password) throws OptionException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            throw new OptionException("user add needs a NAME");
        }
        if (args.length < 2 || !args[0].equals("add")) {
            throw new OptionException("expected 'user add NAME'");
        }
        String name = args[1];
        if (name.isBlank() || name.contains(":") || name.startsWith("#") || !name.strip().equals(name)) {
            throw new OptionException("bad user name '" + name + "': no colon, no leading '#', no surrounding spaces");
        }
        String field = null;
        String plugin = MySqlConstants.CACHING_SHA2_PASSWORD;
        for (int i = 2; i < args.length; i++) {
            String opt = args[i];
            if (i + 1 >= args.length) {
                throw new OptionException(opt + " needs a value");
            }
            String value = args[++i];
            switch (opt) {
                case "--privileges" -> {
                    try {
                        UserAccount.withField(name, new StoredSecret.Plaintext(""), value);
                    } catch (IllegalArgumentException e) {
                        throw new OptionException("--privileges: " + e.getMessage());
                    }
                    field = value;
                }
                case "--auth-plugin" -> {
                    if (!value.equals(MySqlConstants.CACHING_SHA2_PASSWORD) && !value.equals(MySqlConstants.MYSQL_NATIVE_PASSWORD)) {
                        throw new OptionException("--auth-plugin must be caching_sha2_password or mysql_native_password, got " + value);
                    }
                    plugin = value;
                }
                default -> throw new OptionException("unknown option " + opt);
            }
        }
        if (password == null || password.isEmpty()) {
            throw new OptionException("no password on stdin (an empty password cannot be hashed; put 'name:' in the file for one)");
        }
        StoredSecret secret = plugin.equals(MySqlConstants.MYSQL_NATIVE_PASSWORD)
                ? StoredSecret.NativePasswordHash.of(password)
                : StoredSecret.CachingSha2Hash.of(password);
        return field == null ? new UserAccount(name, secret, Grants.DEFAULT) : UserAccount.withField(name, secret, field);
    }

    private static String readPassword(InputStream in) throws OptionException {
        try {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new OptionException("cannot read the password from stdin: " + e.getMessage());
        }
    }
}
