package io.binlogbridge.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint of relay-server and the replayer, on the JDK's HTTP server:
 * <ul>
 *   <li>{@code /health}: 200 "ok" while the process runs;
 *   <li>{@code /ready}: 200 "ready", or 503 with one line saying why not;
 *   <li>{@code /metrics}: the registry in Prometheus's text format;
 *   <li>{@code /status}: a JSON object from the process's {@link StatusReport}, with "ready" and "notReadyReason";
 *   <li>{@code /}: the process's {@link StatusPage}, HTML rendered from that same JSON object.
 * </ul>
 * GET and HEAD only. Two threads serve it, so a slow scraper never holds up the process's own work.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final String NOT_FOUND = "not found: try /, /health, /ready, /metrics or /status";

    private final HttpServer server;
    private final ExecutorService threads;
    private final PrometheusMetrics metrics;
    private final Readiness readiness;
    private final StatusReport status;
    private final StatusPage page;

    private HttpEndpoint(HttpServer server, PrometheusMetrics metrics, Readiness readiness, StatusReport status, StatusPage page) {
        this.server = server;
        this.metrics = metrics;
        this.readiness = readiness;
        this.status = status;
        this.page = page;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        route("/health", exchange -> text(exchange, 200, "ok"));
        route("/ready", this::ready);
        route("/metrics", exchange -> send(exchange, 200, PrometheusMetrics.CONTENT_TYPE,
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        route("/status", this::status);
        server.createContext("/", exchange -> handle(exchange, null, this::root));
    }

    /**
     * Listens on {@code bindAddress:port} (0: a free port) and serves until {@link #close()}.
     *
     * @throws IOException the address cannot be bound
     */
    public static HttpEndpoint start(String bindAddress, int port, PrometheusMetrics metrics, Readiness readiness,
            StatusReport status) throws IOException {
        return start(bindAddress, port, metrics, readiness, status, null);
    }

    /**
     * As {@link #start(String, int, PrometheusMetrics, Readiness, StatusReport)}, with a status page at {@code /}
     * (null: none, 404).
     */
    public static HttpEndpoint start(String bindAddress, int port, PrometheusMetrics metrics, Readiness readiness,
            StatusReport status, StatusPage page) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        HttpEndpoint endpoint = new HttpEndpoint(server, metrics, readiness, status, page);
        server.start();
        log.info("HTTP endpoint listening on {}:{} ({}/health, /ready, /metrics, /status)", bindAddress, endpoint.port(),
                page == null ? "" : "status page at /, ");
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Response {
        void send(HttpExchange exchange) throws IOException;
    }

    private void route(String path, Response response) {
        server.createContext(path, exchange -> handle(exchange, path, response));
    }

    /** Serves {@code path} exactly (the JDK's contexts match any path that starts with theirs). */
    private void handle(HttpExchange exchange, String path, Response response) throws IOException {
        try (exchange) {
            if (path != null && !exchange.getRequestURI().getPath().equals(path)) {
                text(exchange, 404, NOT_FOUND);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method not allowed: " + method);
                return;
            }
            try {
                response.send(exchange);
            } catch (RuntimeException e) {
                log.warn("HTTP {} failed", exchange.getRequestURI(), e);
                text(exchange, 500, "internal error: " + e);
            }
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        String reason = readiness.notReadyReason();
        text(exchange, reason == null ? 200 : 503, reason == null ? "ready" : reason);
    }

    private void status(HttpExchange exchange) throws IOException {
        send(exchange, 200, "application/json; charset=utf-8", statusJson());
    }

    /** The status page, from the same JSON as {@code /status}; anything else under {@code /} is not found. */
    private void root(HttpExchange exchange) throws IOException {
        if (page == null || !exchange.getRequestURI().getPath().equals("/")) {
            text(exchange, 404, NOT_FOUND);
            return;
        }
        String html = page.render(TREE.readTree(statusJson()));
        send(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** The body of {@code /status}. */
    private byte[] statusJson() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            String reason = readiness.notReadyReason();
            json.writeBooleanField("ready", reason == null);
            json.writeStringField("notReadyReason", reason);
            status.writeFields(json);
            json.writeEndObject();
        }
        body.write('\n');
        return body.toByteArray();
    }

    private static void text(HttpExchange exchange, int code, String body) throws IOException {
        send(exchange, code, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
