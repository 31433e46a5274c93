package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A user's privileges: the third field of a users file line. */
public record Grants(Set<Grant> grants) {
    /** No field: replication on every cluster, what every user could do before privileges existed. */
    public static final Grants DEFAULT = new Grants(Set.of(new Grant(Privilege.REPLICATION, null)));

    public Grants {
        grants = Set.copyOf(grants);
    }

    /**
     * Parses {@code replication,monitor@a,admin@b}: a comma list of {@code replication}, {@code admin},
     * {@code monitor}, each optionally {@code @CLUSTER}.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static Grants parse(String field) {
        Set<Grant> grants = new LinkedHashSet<>();
        for (String entry : field.split(",", -1)) {
            String e = entry.strip();
            int at = e.indexOf('@');
            String name = at < 0 ? e : e.substring(0, at);
            String cluster = at < 0 ? null : e.substring(at + 1);
            Privilege p = Privilege.ofFileName(name);
            if (p == null) {
                throw new IllegalArgumentException("unknown privilege '" + name + "' (expected replication, admin or monitor)");
            }
            if (cluster != null && (cluster.isEmpty() || !cluster.matches("[A-Za-z0-9_.-]+"))) {
                throw new IllegalArgumentException("bad cluster name '" + cluster + "' in '" + e + "'");
            }
            grants.add(new Grant(p, cluster));
        }
        return new Grants(grants);
    }

    /** Whether these grants allow {@code privilege} on {@code cluster} (null: a server without clusters, where only grants without @CLUSTER count). */
    public boolean allows(Privilege privilege, String cluster) {
        for (Grant g : grants) {
            if (g.covers(privilege, cluster)) {
                return true;
            }
        }
        return false;
    }

    /** Whether these grants allow {@code privilege} on some cluster, or on every one. */
    public boolean allowsOnSomeCluster(Privilege privilege) {
        for (Grant g : grants) {
            if (g.privilege() == privilege) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Grant g : grants) {
            names.add(g.toString());
        }
        return names.stream().sorted().collect(Collectors.joining(","));
    }
}
