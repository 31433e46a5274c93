package io.binlogbridge.it.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A client of the HTTP endpoint of relay-server and the replayer (--http-port), as an operator's tools use it. */
public final class OpsHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One answer: the status code and the body. */
    public record Answer(int status, String body) {}

    private OpsHttp() {}

    /** GET http://127.0.0.1:port/path; null while nothing listens there. */
    public static Answer get(int port, String path) throws IOException, InterruptedException {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (ConnectException notListening) {
            return null;
        }
    }

    /**
     * Polls {@code /ready} every 20 ms until it answers 200; returns every answer seen before, in order. Fails, with
     * {@code log}, when the process dies or the time runs out.
     */
    public static List<Answer> awaitReady(int port, Duration timeout, BooleanSupplier alive, Supplier<String> log)
            throws IOException, InterruptedException {
        List<Answer> before = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Answer a = get(port, "/ready");
            if (a != null && a.status() == 200) {
                return before;
            }
            if (a != null && (before.isEmpty() || !before.get(before.size() - 1).equals(a))) {
                before.add(a);
            }
            if (!alive.getAsBoolean() || System.nanoTime() > deadline) {
                throw new AssertionError("/ready on port " + port + " did not answer 200 within " + timeout + "; answers: " + before
                        + "\n" + log.get());
            }
            Thread.sleep(20);
        }
    }

    /** The value of an unlabelled sample in a Prometheus text scrape; NaN for "NaN"; fails when it is missing. */
    public static double sample(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + name + " in:\n" + scrape);
    }

    /** {@link #sample} of a fresh scrape of {@code /metrics}. */
    public static double metric(int port, String name) throws IOException, InterruptedException {
        Answer a = get(port, "/metrics");
        if (a == null || a.status() != 200) {
            throw new AssertionError("/metrics on port " + port + " answered " + a);
        }
        return sample(a.body(), name);
    }
}
