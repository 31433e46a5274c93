package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a server's clusters a client means: the one it named (login name {@code user|NAME}, or {@code USE NAME}),
 * else the server's only cluster, else the only configured cluster its grants name. A server without clusters (the
 * relay) has {@link #NONE}: nothing to select, and naming one is an unknown cluster.
 */
public final class ClusterSelection {
    /** A server that serves no named clusters. */
    public static final ClusterSelection NONE = new ClusterSelection(List.of());

    private final List<String> names;

    /** @param names the configured clusters, in the order declared */
    public ClusterSelection(List<String> names) {
        this.names = List.copyOf(names);
    }

    public List<String> names() {
        return names;
    }

    public boolean contains(String name) {
        return name != null && names.contains(name);
    }

    /** A login name split at its first {@code |}, as Vitess's vtgate reads {@code user|keyspace}. */
    public record LoginName(String user, String cluster) {
        public static LoginName parse(String loginName) {
            if (loginName == null) {
                return new LoginName(null, null);
            }
            int bar = loginName.indexOf('|');
            return bar < 0 ? new LoginName(loginName, null)
                    : new LoginName(loginName.substring(0, bar), loginName.substring(bar + 1));
        }
    }

    /** The outcome of {@link #choose}. */
    public sealed interface Choice {
        /** {@code cluster} is null only on a server without clusters. */
        record Selected(String cluster) implements Choice {}

        /** The client named a cluster this server does not serve. */
        record Unknown(String cluster) implements Choice {}

        /** Several clusters and nothing to choose between them: {@code candidates} are those the user may use. */
        record Ambiguous(List<String> candidates) implements Choice {}
    }

    /**
     * @param requested the cluster the client named, null for none
     * @param grants    the user's privileges
     */
    public Choice choose(String requested, Grants grants) {
        if (requested != null) {
            return contains(requested) ? new Choice.Selected(requested) : new Choice.Unknown(requested);
        }
        if (names.isEmpty()) {
            return new Choice.Selected(null);
        }
        if (names.size() == 1) {
            return new Choice.Selected(names.get(0));
        }
        List<String> granted = granted(grants);
        return granted.size() == 1 ? new Choice.Selected(granted.get(0)) : new Choice.Ambiguous(granted);
    }

    /** The configured clusters on which {@code grants} hold any privilege, in declared order. */
    List<String> granted(Grants grants) {
        List<String> granted = new ArrayList<>();
        for (String name : names) {
            for (Grant g : grants.grants()) {
                if (g.cluster() == null || g.cluster().equals(name)) {
                    granted.add(name);
                    break;
                }
            }
        }
        return granted;
    }
}
