package io.binlogbridge.core.http;

import io.binlogbridge.core.config.OptionException;

/**
 * The HTTP endpoint's two options, as relay-server and the replayer both declare them (each in its own option
 * declarations, with these names and texts): {@code --http-port} turns the endpoint on, {@code --http-bind-address}
 * says where it listens.
 */
public final class HttpOptions {
    public static final String PORT = "http-port";
    public static final String BIND_ADDRESS = "http-bind-address";
    /**
     * Loopback: the endpoint has no authentication and /status names clients and their addresses, so reaching it
     * from another host is the operator's explicit choice ({@code --http-bind-address 0.0.0.0}).
     */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final String PORT_DOC = "Port of the HTTP endpoint for operators: /health, /ready, /metrics (Prometheus),"
            + " /status (JSON), a status page at /. Off without it; 0 picks a free port (logged).";
    public static final String BIND_ADDRESS_DOC = "Address the HTTP endpoint listens on (only with --http-port). The endpoint"
            + " has no authentication: use 0.0.0.0 to let a Prometheus on another host scrape it.";

    private HttpOptions() {}

    /** The port given to {@code --http-port}, checked. */
    public static int port(int value) throws OptionException {
        if (value < 0 || value > 65535) {
            throw new OptionException("--" + PORT + " must be 0..65535, got " + value);
        }
        return value;
    }
}
