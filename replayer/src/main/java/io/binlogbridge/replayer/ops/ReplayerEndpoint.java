package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.http.PrometheusMetrics;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.ReplayerServer;
import java.io.IOException;
import java.util.List;

/** The replayer's HTTP endpoint, when {@code --http-port} asks for one: its meters, readiness and status. */
public final class ReplayerEndpoint {
    private ReplayerEndpoint() {}

    /** @throws IOException the address cannot be bound */
    public static MeteredEndpoint start(String bindAddress, int port, String topic, String kafkaBootstrap, LogIndex index,
            ReplayerServer server, RecordBlockCache blocks) throws IOException {
        return start(bindAddress, port, topic, kafkaBootstrap, server, List.of(new ReplayerMetrics.ClusterMeters(topic, index, blocks)));
    }

    /**
     * @param topic    the first cluster's topic: readiness and {@code /status} describe its log
     * @param clusters every cluster's log, for the meters (tagged {@code cluster} when there are several)
     */
    public static MeteredEndpoint start(String bindAddress, int port, String topic, String kafkaBootstrap, ReplayerServer server,
            List<ReplayerMetrics.ClusterMeters> clusters) throws IOException {
        LogIndex index = clusters.get(0).index();
        RecordBlockCache blocks = clusters.get(0).blocks();
        PrometheusMetrics metrics = new PrometheusMetrics();
        ReplayerReadiness readiness = new ReplayerReadiness(index, server, topic, kafkaBootstrap);
        ReplayerMetrics.bind(metrics.registry(), server, clusters, readiness);
        return MeteredEndpoint.start(bindAddress, port, metrics, readiness, new ReplayerStatusReport(topic, index, server, blocks),
                new ReplayerStatusPage());
    }
}
