package io.binlogbridge.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<String> notReady = new AtomicReference<>("starting: waiting for something");
    private PrometheusMetrics metrics;
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        metrics = new PrometheusMetrics();
        endpoint = HttpEndpoint.start("127.0.0.1", 0, metrics, notReady::get, json -> {
            json.writeStringField("process", "test");
            json.writeNumberField("answer", 42);
        });
    }

    @AfterEach
    void stop() {
        endpoint.close();
        metrics.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOkWhileRunning() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void readyAnswers503WithTheReasonThen200() throws Exception {
        HttpResponse<String> r = get("/ready");
        assertEquals(503, r.statusCode());
        assertEquals("starting: waiting for something\n", r.body());
        notReady.set(null);
        r = get("/ready");
        assertEquals(200, r.statusCode());
        assertEquals("ready\n", r.body());
    }

    @Test
    void metricsArePrometheusTextWithJvmAndProcessFigures() throws Exception {
        Counter.builder("binlogbridge.test.bytes").baseUnit("bytes").register(metrics.registry()).increment(5);
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = r.body();
        assertTrue(body.contains("# TYPE binlogbridge_test_bytes_total counter"), body);
        assertTrue(body.contains("binlogbridge_test_bytes_total 5.0"), body);
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_", "process_cpu_usage",
                "process_uptime_seconds", "jvm_classes_loaded_classes"}) {
            assertTrue(body.contains(name), name + " missing");
        }
    }

    @Test
    void statusIsOneJsonObjectWithReadiness() throws Exception {
        HttpResponse<String> r = get("/status");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode status = new ObjectMapper().readTree(r.body());
        assertEquals(false, status.get("ready").asBoolean());
        assertEquals("starting: waiting for something", status.get("notReadyReason").asText());
        assertEquals("test", status.get("process").asText());
        assertEquals(42, status.get("answer").asInt());
        notReady.set(null);
        status = new ObjectMapper().readTree(get("/status").body());
        assertTrue(status.get("ready").asBoolean());
        assertTrue(status.get("notReadyReason").isNull());
    }

    @Test
    void onlyTheFourPathsAndOnlyGetOrHead() throws Exception {
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/healthz").statusCode());
        assertEquals(404, get("/metrics/x").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/ready"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void thePageAtRootIsRenderedFromTheStatusJson() throws Exception {
        endpoint.close();
        endpoint = HttpEndpoint.start("127.0.0.1", 0, metrics, notReady::get, json -> {
            json.writeStringField("process", "test");
            json.writeStringField("topic", "<b>t&'\"</b>");
            json.writeNumberField("answer", 42);
        }, status -> {
            Html h = new Html();
            h.row("answer", Html.value(status.get("answer")));
            h.row("reason", Html.value(status.get("notReadyReason")));
            return StatusPageLayout.page("test", status, java.util.List.of(
                    new StatusPageLayout.Stage("here", java.util.List.of(status.get("topic").asText()), true, "ok")), h);
        });
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        String html = page.body();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"), html);
        assertTrue(html.contains("<tr><th>answer</th><td>42</td></tr>"), html);
        assertTrue(html.contains("starting: waiting for something"), html);
        assertTrue(html.contains("&lt;b&gt;t&amp;&#39;&quot;&lt;/b&gt;"), html);
        assertTrue(!html.contains("<b>t&"), "the topic is escaped: " + html);
        assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained: " + html);
        assertEquals(404, get("/index.html").statusCode());
    }

    @Test
    void aFailingStatusIs500AndTheEndpointGoesOn() throws Exception {
        endpoint.close();
        endpoint = HttpEndpoint.start("127.0.0.1", 0, metrics, () -> null, json -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(500, get("/status").statusCode());
        assertEquals(200, get("/health").statusCode());
    }
}
