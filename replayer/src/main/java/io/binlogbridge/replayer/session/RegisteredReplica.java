package io.binlogbridge.replayer.session;

/**
 * What a replica told us in COM_REGISTER_SLAVE (plus the uuid it SET before), shown by SHOW SLAVE HOSTS.
 * {@code host} is its report_host, empty when it has none.
 */
public record RegisteredReplica(long serverId, String host, int port, long rank, long masterId, String uuid) {}
