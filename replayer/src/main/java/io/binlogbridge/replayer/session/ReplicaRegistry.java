package io.binlogbridge.replayer.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The replicas registered on all connections of one server; a connection's entry leaves when it closes. */
public final class ReplicaRegistry {
    private final ConcurrentHashMap<Integer, RegisteredReplica> byConnection = new ConcurrentHashMap<>();

    public void register(Session session, RegisteredReplica replica) {
        session.registeredReplica(replica);
        byConnection.put(session.connectionId(), replica);
    }

    public void unregister(Session session) {
        byConnection.remove(session.connectionId());
    }

    /** Ordered by server id, like MySQL's SHOW SLAVE HOSTS. */
    public List<RegisteredReplica> replicas() {
        List<RegisteredReplica> list = new ArrayList<>(byConnection.values());
        list.sort(Comparator.comparingLong(RegisteredReplica::serverId));
        return list;
    }
}
