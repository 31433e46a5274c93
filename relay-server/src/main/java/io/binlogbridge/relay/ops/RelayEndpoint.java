package io.binlogbridge.relay.ops;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.core.http.HttpEndpoint;
import io.binlogbridge.core.http.HttpOptions;
import io.binlogbridge.core.http.PrometheusMetrics;
import java.io.IOException;

/** relay-server's HTTP endpoint, when {@code --http-port} asks for one: the relay's meters, readiness and status. */
public final class RelayEndpoint implements AutoCloseable {
    private final PrometheusMetrics metrics;
    private final HttpEndpoint http;

    private RelayEndpoint(PrometheusMetrics metrics, HttpEndpoint http) {
        this.metrics = metrics;
        this.http = http;
    }

    /** The checked port, or -1 when the options ask for no endpoint. */
    public static int port(Options options) throws OptionException {
        return options.has(HttpOptions.PORT) ? HttpOptions.port(options.integer(HttpOptions.PORT)) : -1;
    }

    /** Listens as the options say. @throws IOException the address cannot be bound */
    public static RelayEndpoint start(Options options, int port, RelayProgress progress) throws IOException {
        PrometheusMetrics metrics = new PrometheusMetrics();
        RelayReadiness readiness = new RelayReadiness(progress);
        RelayMetrics.bind(metrics.registry(), progress, readiness);
        try {
            return new RelayEndpoint(metrics, HttpEndpoint.start(options.string(HttpOptions.BIND_ADDRESS), port, metrics,
                    readiness, new RelayStatusReport(progress), new RelayStatusPage()));
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
