package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.http.HttpEndpoint;
import io.binlogbridge.core.http.PrometheusMetrics;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.ReplayerServer;
import java.io.IOException;

/** The replayer's HTTP endpoint, when {@code --http-port} asks for one: its meters, readiness and status. */
public final class ReplayerEndpoint implements AutoCloseable {
    private final PrometheusMetrics metrics;
    private final HttpEndpoint http;

    private ReplayerEndpoint(PrometheusMetrics metrics, HttpEndpoint http) {
        this.metrics = metrics;
        this.http = http;
    }

    /** @throws IOException the address cannot be bound */
    public static ReplayerEndpoint start(String bindAddress, int port, String topic, String kafkaBootstrap, LogIndex index,
            ReplayerServer server, RecordBlockCache blocks) throws IOException {
        PrometheusMetrics metrics = new PrometheusMetrics();
        ReplayerReadiness readiness = new ReplayerReadiness(index, server, topic, kafkaBootstrap);
        ReplayerMetrics.bind(metrics.registry(), server, blocks, index, readiness);
        try {
            return new ReplayerEndpoint(metrics, HttpEndpoint.start(bindAddress, port, metrics, readiness,
                    new ReplayerStatusReport(topic, index, server, blocks), new ReplayerStatusPage()));
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        metrics.close();
    }
}
