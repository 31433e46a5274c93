package io.binlogbridge.server.sql;

import io.binlogbridge.schemas.Flavor;

import java.util.Objects;

/**
 * Who the replayer says it is: the source's flavor and version (so replicas enable the right features),
 * the server id and uuid replicas check against their own, and the binlog settings of the log.
 *
 * @param serverVersion   the source's version, e.g. {@code 8.0.40} or {@code 10.11.6-MariaDB-log}
 * @param binlogChecksum  {@code CRC32} or {@code NONE}, as the source wrote the events
 * @param gtidMode        MySQL {@code gtid_mode=ON}; MariaDB always has GTIDs, this is ignored there
 * @param gtidDomainId    MariaDB {@code gtid_domain_id}
 */
public record ServerIdentity(
        Flavor flavor,
        String serverVersion,
        long serverId,
        String serverUuid,
        String binlogChecksum,
        boolean gtidMode,
        long gtidDomainId,
        String versionComment) {

    public ServerIdentity {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(serverUuid, "serverUuid");
        Objects.requireNonNull(binlogChecksum, "binlogChecksum");
        Objects.requireNonNull(versionComment, "versionComment");
    }

    public boolean mariaDb() {
        return flavor == Flavor.MARIADB;
    }

    /**
     * The version in the handshake. MariaDB servers prefix {@code 5.5.5-} so that old MySQL clients,
     * which parse the first number, do not mistake 10.x for something older than 5.x; MariaDB clients
     * and replicas strip it again.
     */
    public String handshakeVersion() {
        if (mariaDb() && !serverVersion.startsWith("5.5.5-")) {
            return "5.5.5-" + serverVersion;
        }
        return serverVersion;
    }
}
