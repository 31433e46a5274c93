package io.binlogbridge.server.access;

/** One privilege on one cluster, or on every cluster when {@code cluster} is null. */
public record Grant(Privilege privilege, String cluster) {
    public boolean covers(Privilege wanted, String wantedCluster) {
        return privilege == wanted && (cluster == null || cluster.equals(wantedCluster));
    }

    @Override
    public String toString() {
        return cluster == null ? privilege.fileName() : privilege.fileName() + "@" + cluster;
    }
}
