package io.binlogbridge.core.record;

import io.binlogbridge.schemas.Flavor;

/**
 * Who the source is, as every record states it: flavor, @@server_id, @@server_uuid (MySQL only)
 * and the version string of its handshake.
 */
public record SourceIdentity(Flavor flavor, long serverId, String serverUuid, String serverVersion) {
    public boolean isMariaDb() {
        return flavor == Flavor.MARIADB;
    }
}
