package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.List;

/** One line of the users file. */
public record UserAccount(String name, StoredSecret secret, Grants grants, AccountOptions options) {
    public UserAccount(String name, StoredSecret secret, Grants grants) {
        this(name, secret, grants, AccountOptions.NONE);
    }

    /**
     * Parses the third field of a line: privileges ({@link Grants#parse}) and options ({@link AccountOptions}) in one
     * comma list; only options means {@code replication} everywhere, as no field does.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static UserAccount withField(String name, StoredSecret secret, String field) {
        List<String> privileges = new ArrayList<>();
        AccountOptions options = AccountOptions.NONE;
        for (String entry : field.split(",", -1)) {
            if (AccountOptions.isOption(entry)) {
                options = options.with(entry);
            } else {
                privileges.add(entry);
            }
        }
        Grants grants = privileges.isEmpty() ? Grants.DEFAULT : Grants.parse(String.join(",", privileges));
        return new UserAccount(name, secret, grants, options);
    }

    /** The line {@code user add} prints and the file holds. */
    public String toLine() {
        List<String> field = new ArrayList<>();
        if (!grants.equals(Grants.DEFAULT) || options.equals(AccountOptions.NONE)) {
            field.add(grants.toString());
        }
        field.addAll(options.entries());
        return grants.equals(Grants.DEFAULT) && options.equals(AccountOptions.NONE)
                ? name + ":" + secret
                : name + ":" + secret + ":" + String.join(",", field);
    }
}
