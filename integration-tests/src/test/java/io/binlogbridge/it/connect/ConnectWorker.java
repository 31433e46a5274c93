package io.binlogbridge.it.connect;

import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A stock Kafka Connect worker in distributed mode with exactly-once source support, in a JVM of its
 * own ({@code org.apache.kafka.connect.cli.ConnectDistributed}). Its classpath is the test classpath
 * without the project's own modules: the connector comes only from {@code plugin.path}, where the
 * built {@code binlog-bridge-connector.zip} is unpacked, as an operator would install it.
 */
final class ConnectWorker implements AutoCloseable {
    static final String CONNECTOR_CLASS = "io.binlogbridge.connect.BinlogSourceConnector";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int port;
    private final int jmxPort = FreePorts.allocate();
    private final Path propertiesFile;
    private Process process;
    private Path logFile;
    private int starts;

    ConnectWorker(String bootstrap, String groupId) {
        this.dir = TestDirs.newTempDir("connect");
        this.port = FreePorts.allocate();
        this.propertiesFile = dir.resolve("worker.properties");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", groupId);
        p.put("config.storage.topic", groupId + "-configs");
        p.put("offset.storage.topic", groupId + "-offsets");
        p.put("status.storage.topic", groupId + "-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "1");
        p.put("status.storage.partitions", "1");
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("exactly.once.source.support", "enabled");
        p.put("plugin.path", pluginPath().toString());
        p.put("plugin.discovery", "service_load");
        p.put("listeners", "http://127.0.0.1:" + port);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", Integer.toString(port));
        // One worker that is killed and restarted: hand its tasks to the new member at once.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.put("session.timeout.ms", "6000");
        p.put("rebalance.timeout.ms", "15000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("offset.flush.interval.ms", "1000");
        // Records carry up to chunk.size.bytes (1 MiB) of events plus metadata.
        p.put("producer.max.request.size", Integer.toString(8 << 20));
        // No worker-wide producer.transaction.timeout.ms: the task cannot see it (docs/connector.md), so a test that
        // needs a short one sets the connector's producer.override.transaction.timeout.ms, as ConnectKillTest does.
        try {
            Files.writeString(propertiesFile, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(dir.resolve("log4j2.xml"), LOG4J2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plugin zip unpacked into a fresh directory: the directory to give plugin.path. */
    static synchronized Path pluginPath() {
        Path zip = Path.of(System.getProperty("connector.zip", "../connector/target/binlog-bridge-connector.zip"));
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: build the connector module with mvn package first");
        }
        Path plugins = TestDirs.newTempDir("connect-plugins");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = plugins.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return plugins.toAbsolutePath();
    }

    /** The test classpath minus everything built from this repository (module classes and jars). */
    static String workerClasspath() {
        String cp = Processes.testClasspath();
        Path repo = Path.of("..").toAbsolutePath().normalize();
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.isBlank() && !Path.of(e).toAbsolutePath().normalize().startsWith(repo))
                .collect(Collectors.joining(File.pathSeparator));
    }

    ConnectWorker start() {
        starts++;
        logFile = TestDirs.logFileFor(dir, "connect-" + starts);
        List<String> cmd = new ArrayList<>(List.of(Processes.javaLauncher(),
                "-Xmx1g", "-Xms256m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                // Remote JMX on loopback, so that tests read the task metrics as a JMX console would.
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.xml").toUri(),
                "-cp", workerClasspath(), "org.apache.kafka.connect.cli.ConnectDistributed", propertiesFile.toString()));
        process = Processes.start(cmd, logFile, Map.of(), dir);
        awaitRest(Duration.ofSeconds(90));
        return this;
    }

    /**
     * The numeric attributes of every MBean of the worker's JMX whose name holds {@code connector=NAME} and which has
     * {@code attribute}: the task metrics of that connector's tasks, keyed by MBean name.
     */
    Map<String, Map<String, Double>> jmxMetrics(String connector, String attribute) throws IOException {
        javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(url)) {
            javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
            Map<String, Map<String, Double>> found = new LinkedHashMap<>();
            for (javax.management.ObjectName name : server.queryNames(new javax.management.ObjectName("kafka.connect:*"), null)) {
                if (!connector.equals(name.getKeyProperty("connector"))) {
                    continue;
                }
                Map<String, Double> values = new LinkedHashMap<>();
                for (javax.management.MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    Object v = server.getAttribute(name, a.getName());
                    if (v instanceof Number n) {
                        values.put(a.getName(), n.doubleValue());
                    }
                }
                if (values.containsKey(attribute)) {
                    found.put(name.toString(), values);
                }
            }
            return found;
        } catch (javax.management.JMException e) {
            throw new IOException(e);
        }
    }

    private void awaitRest(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("Connect worker exited (" + process.exitValue() + ") while starting:\n" + log());
            }
            try {
                HttpResponse<String> r = get("/connector-plugins");
                if (r.statusCode() == 200) {
                    if (!r.body().contains(CONNECTOR_CLASS)) {
                        throw new AssertionError("the worker did not load " + CONNECTOR_CLASS + " from plugin.path: " + r.body() + "\n" + log());
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Connect REST API not up within " + timeout + ":\n" + log());
            }
            sleep(250);
        }
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> put(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> post(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Creates or updates a connector (PUT /connectors/NAME/config); fails unless Connect accepts it. */
    void deploy(String name, Map<String, String> config) throws IOException {
        HttpResponse<String> r = put("/connectors/" + name + "/config", json(config));
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new AssertionError("deploying " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** Waits until the connector's task 0 is RUNNING; fails at once when it is FAILED. */
    void awaitTaskRunning(String name, Duration timeout) throws IOException {
        awaitTaskState(name, "RUNNING", timeout);
    }

    /** Waits until the connector's task 0 is FAILED and returns its status (with the trace); fails when the time runs out. */
    String awaitTaskFailed(String name, Duration timeout) throws IOException {
        return awaitTaskState(name, "FAILED", timeout);
    }

    /** The connector's status once its task 0 is in {@code state}; a task FAILED while RUNNING is awaited fails at once. */
    private String awaitTaskState(String name, String state, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Connect worker exited:\n" + log());
            }
            HttpResponse<String> r = get("/connectors/" + name + "/status");
            body = r.body();
            int tasks = body.indexOf("\"tasks\"");
            if (r.statusCode() == 200 && tasks >= 0) {
                String t = body.substring(tasks);
                if (t.contains("\"" + state + "\"")) {
                    return body;
                }
                if (!state.equals("FAILED") && t.contains("\"FAILED\"")) {
                    throw new AssertionError("task failed: " + body + "\n" + log());
                }
            }
            sleep(200);
        }
        throw new AssertionError("task of " + name + " not " + state + " within " + timeout + ": " + body + "\n" + logTail(100));
    }

    /** Waits until this run's log contains {@code text} at least {@code times} times. */
    void awaitLog(String text, int times, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(log(), text) < times) {
            if (!isAlive()) {
                throw new AssertionError("Connect worker exited before logging '" + text + "':\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Connect worker did not log '" + text + "' within " + timeout + ":\n" + log());
            }
            sleep(100);
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static String json(Map<String, String> map) {
        return map.entrySet().stream().map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no task stop, no commit, no leave-group. */
    void kill9() {
        if (process != null) {
            Processes.kill(process.toHandle());
            Processes.waitForExit(process.toHandle(), Duration.ofSeconds(10));
        }
    }

    void stop() {
        if (process != null && process.isAlive()) {
            Processes.terminate(process.toHandle(), Duration.ofSeconds(30));
        }
    }

    String log() {
        try {
            return logFile != null && Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ")";
        }
    }

    /** The last {@code lines} lines of this run's log. */
    String logTail(int lines) {
        return Processes.tail(logFile, lines);
    }

    @Override
    public void close() {
        stop();
        kill9();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final String LOG4J2 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="[%d{HH:mm:ss,SSS}] %-5p [%t] %c{1} - %m%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="io.binlogbridge" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.Worker" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.distributed.DistributedHerder" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.ExactlyOnceWorkerSourceTask" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.WorkerTask" level="INFO"/>
                <Root level="WARN"><AppenderRef ref="out"/></Root>
              </Loggers>
            </Configuration>
            """;
}
