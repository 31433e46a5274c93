package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.http.Readiness;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.server.ReplayerServer;

/** The replayer is ready once its index has caught up with the topic and it accepts MySQL clients. */
public final class ReplayerReadiness implements Readiness {
    private final LogIndex index;
    private final ReplayerServer server;
    private final String topic;
    private final String kafkaBootstrap;

    public ReplayerReadiness(LogIndex index, ReplayerServer server, String topic, String kafkaBootstrap) {
        this.index = index;
        this.server = server;
        this.topic = topic;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    @Override
    public String notReadyReason() {
        if (!index.isReady()) {
            return "indexing topic " + topic + " from Kafka at " + kafkaBootstrap + ": " + index.nextOffset() + " records so far";
        }
        if (!server.listening()) {
            return "not accepting MySQL clients";
        }
        return null;
    }
}
