package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** The accounts of one version of the users file, by name. Immutable: a reload replaces the whole set. */
public final class UserAccounts {
    private final Map<String, UserAccount> byName;

    public UserAccounts(List<UserAccount> accounts) {
        Map<String, UserAccount> map = new LinkedHashMap<>();
        for (UserAccount a : accounts) {
            map.put(a.name(), a);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** Plaintext passwords with replication everywhere, fixed (tests and embedded servers). */
    public static Supplier<UserAccounts> plaintext(Map<String, String> passwords) {
        List<UserAccount> accounts = new ArrayList<>();
        passwords.forEach((name, password) -> accounts.add(new UserAccount(name, new StoredSecret.Plaintext(password), Grants.DEFAULT)));
        UserAccounts fixed = new UserAccounts(accounts);
        return () -> fixed;
    }

    /** The account, or null when there is none of that name. */
    public UserAccount get(String name) {
        return name == null ? null : byName.get(name);
    }

    public int size() {
        return byName.size();
    }

    /** What changed from {@code before} to this, one phrase per user ("added x", "removed y", "changed z's password"). */
    public List<String> changesSince(UserAccounts before) {
        List<String> changes = new ArrayList<>();
        for (UserAccount now : byName.values()) {
            UserAccount was = before.get(now.name());
            if (was == null) {
                changes.add("added '" + now.name() + "' (" + now.grants() + ")");
                continue;
            }
            if (!sameSecret(was.secret(), now.secret())) {
                changes.add("changed the password of '" + now.name() + "'");
            }
            if (!was.options().equals(now.options())) {
                changes.add("changed the options of '" + now.name() + "' from '" + was.options() + "' to '" + now.options() + "'");
            }
            if (!was.grants().equals(now.grants())) {
                changes.add("changed the privileges of '" + now.name() + "' from " + was.grants() + " to " + now.grants());
            }
        }
        for (String name : before.byName.keySet()) {
            if (!byName.containsKey(name)) {
                changes.add("removed '" + name + "'");
            }
        }
        return changes;
    }

    private static boolean sameSecret(StoredSecret a, StoredSecret b) {
        if (a instanceof StoredSecret.Plaintext pa && b instanceof StoredSecret.Plaintext pb) {
            return Objects.equals(pa.password(), pb.password());
        }
        return a.getClass() == b.getClass() && a.toString().equals(b.toString());
    }
}
