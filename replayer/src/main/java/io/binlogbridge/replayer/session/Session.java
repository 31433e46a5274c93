package io.binlogbridge.replayer.session;

import io.binlogbridge.server.session.ClientSession;

/**
 * A replayer connection: a {@link ClientSession} plus the replica it registered, which
 * {@link ReplicaRegistry} publishes to other connections, and its figures (bytes sent, dump position),
 * which the server's metrics and status read.
 */
public final class Session extends ClientSession {
    private volatile RegisteredReplica registeredReplica;
    private final ConnectionStats stats;

    public Session(int connectionId, String remoteHost) {
        this(connectionId, remoteHost, ConnectionStats.standalone());
    }

    public Session(int connectionId, String remoteHost, ConnectionStats stats) {
        super(connectionId, remoteHost);
        this.stats = stats;
    }

    public ConnectionStats stats() { return stats; }

    @Override
    public void authenticationFailed() {
        stats.authenticationFailed();
    }

    public RegisteredReplica registeredReplica() { return registeredReplica; }
    public void registeredReplica(RegisteredReplica replica) { this.registeredReplica = replica; }
}
