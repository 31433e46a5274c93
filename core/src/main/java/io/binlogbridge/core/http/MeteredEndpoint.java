package io.binlogbridge.core.http;

import java.io.IOException;

/**
 * A process's HTTP endpoint together with the meter registry it serves: both live and end together. relay-server and
 * the replayer each bind their meters to a fresh {@link PrometheusMetrics} and hand it here.
 */
public final class MeteredEndpoint implements AutoCloseable {
    private final PrometheusMetrics metrics;
    private final HttpEndpoint http;

    private MeteredEndpoint(PrometheusMetrics metrics, HttpEndpoint http) {
        this.metrics = metrics;
        this.http = http;
    }

    /**
     * Listens on {@code bindAddress:port}; the registry is closed if that fails, and with the endpoint otherwise.
     *
     * @throws IOException the address cannot be bound
     */
    public static MeteredEndpoint start(String bindAddress, int port, PrometheusMetrics metrics, Readiness readiness,
            StatusReport status, StatusPage page) throws IOException {
        try {
            return new MeteredEndpoint(metrics, HttpEndpoint.start(bindAddress, port, metrics, readiness, status, page));
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
