package io.binlogbridge.core.relay;

import java.util.Optional;

/**
 * Whether a binlog topic survives the loss of one broker with every acknowledged transaction: the relay acknowledges
 * (to a semi-sync source, and to itself as its checkpoint) what Kafka committed with {@code acks=all}, which is as
 * durable as {@code min.insync.replicas} copies. Production needs 3 replicas and {@code min.insync.replicas=2}.
 */
public final class TopicDurability {
    private TopicDurability() {}

    /** What is wrong with {@code replicas} copies and this {@code min.insync.replicas}, as one line; empty when nothing is. */
    public static Optional<String> problem(String topic, int replicas, int minInSyncReplicas) {
        if (replicas < 2) {
            return Optional.of("topic " + topic + " has " + replicas + " replica: the log is lost with the broker that holds it;"
                    + " production needs replication factor 3 and min.insync.replicas=2 (docs/relay.md)");
        }
        if (minInSyncReplicas >= replicas) {
            return Optional.of("topic " + topic + " has " + replicas + " replicas and min.insync.replicas=" + minInSyncReplicas
                    + ": the relay cannot commit while any one of those brokers is down; production needs replication factor 3"
                    + " and min.insync.replicas=2 (docs/relay.md)");
        }
        if (minInSyncReplicas < 2) {
            return Optional.of("topic " + topic + " has min.insync.replicas=" + minInSyncReplicas + ": a commit Kafka acknowledged"
                    + " may be on one broker only, and lost with it; production needs replication factor 3 and min.insync.replicas=2"
                    + " (docs/relay.md)");
        }
        return Optional.empty();
    }
}
