package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.http.PrometheusMetrics;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.ReplayerServer;
import java.io.IOException;

/** The replayer's HTTP endpoint, when {@code --http-port} asks for one: its meters, readiness and status. */
public final class ReplayerEndpoint {
    private ReplayerEndpoint() {}

    /** @throws IOException the address cannot be bound */
    public static MeteredEndpoint start(String bindAddress, int port, String topic, String kafkaBootstrap, LogIndex index,
            ReplayerServer server, RecordBlockCache blocks) throws IOException {
        PrometheusMetrics metrics = new PrometheusMetrics();
        ReplayerReadiness readiness = new ReplayerReadiness(index, server, topic, kafkaBootstrap);
        ReplayerMetrics.bind(metrics.registry(), server, blocks, index, readiness);
        return MeteredEndpoint.start(bindAddress, port, metrics, readiness, new ReplayerStatusReport(topic, index, server, blocks),
                new ReplayerStatusPage());
    }
}
