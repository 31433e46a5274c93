package io.binlogbridge.relay.ops;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.http.HttpOptions;
import io.binlogbridge.core.http.PrometheusMetrics;
import java.io.IOException;

/** relay-server's HTTP endpoint, when {@code --http-port} asks for one: the relay's meters, readiness and status. */
public final class RelayEndpoint {
    private RelayEndpoint() {}

    /** The checked port, or -1 when the options ask for no endpoint. */
    public static int port(Options options) throws OptionException {
        return options.has(HttpOptions.PORT) ? HttpOptions.port(options.integer(HttpOptions.PORT)) : -1;
    }

    /** Listens as the options say. @throws IOException the address cannot be bound */
    public static MeteredEndpoint start(Options options, int port, RelayProgress progress) throws IOException {
        PrometheusMetrics metrics = new PrometheusMetrics();
        RelayReadiness readiness = new RelayReadiness(progress);
        RelayMetrics.bind(metrics.registry(), progress, readiness);
        return MeteredEndpoint.start(options.string(HttpOptions.BIND_ADDRESS), port, metrics, readiness,
                new RelayStatusReport(progress), new RelayStatusPage());
    }
}
