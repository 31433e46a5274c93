package io.binlogbridge.core.replica;

import io.binlogbridge.core.protocol.tls.ClientTls;
import java.time.Duration;

/**
 * How to reach and read the source as a replica.
 *
 * @param serverId this replica's server id on the source; unique among its replicas
 * @param heartbeatPeriod how often an idle source sends a heartbeat; the connection is declared dead
 *     after two periods without a byte
 * @param chunkSize the largest record value's event bytes; bigger transactions are split
 * @param semiSync acknowledge transactions to a semi-sync source (once the caller says they are durable)
 * @param tls TLS to the source (MySQL's replica SOURCE_SSL options)
 */
public record SourceConfig(
        String host,
        int port,
        String user,
        String password,
        int serverId,
        Duration heartbeatPeriod,
        Duration connectTimeout,
        int chunkSize,
        boolean semiSync,
        ClientTls tls) {

    public SourceConfig {
        tls = tls == null ? ClientTls.DISABLED : tls;
    }

    /** A plain connection. */
    public SourceConfig(String host, int port, String user, String password, int serverId, Duration heartbeatPeriod,
            Duration connectTimeout, int chunkSize, boolean semiSync) {
        this(host, port, user, password, serverId, heartbeatPeriod, connectTimeout, chunkSize, semiSync, ClientTls.DISABLED);
    }

    /** An asynchronous replica. */
    public SourceConfig(String host, int port, String user, String password, int serverId, Duration heartbeatPeriod,
            Duration connectTimeout, int chunkSize) {
        this(host, port, user, password, serverId, heartbeatPeriod, connectTimeout, chunkSize, false, ClientTls.DISABLED);
    }

    /** The same source read asynchronously: for the short side connections (header fetch, GTID lookup). */
    public SourceConfig withoutSemiSync() {
        return new SourceConfig(host, port, user, password, serverId, heartbeatPeriod, connectTimeout, chunkSize, false, tls);
    }

    public SourceConfig withTls(ClientTls tls) {
        return new SourceConfig(host, port, user, password, serverId, heartbeatPeriod, connectTimeout, chunkSize, semiSync, tls);
    }

    public String address() {
        return host + ":" + port;
    }
}
