package io.binlogbridge.relay.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;

/**
 * A real single-node Kafka broker (KRaft, combined broker+controller) running inside the relay's own process, used
 * when no {@code --kafka-bootstrap} is given. Data lives under {@code <dataDir>/kafka}; the storage is formatted on
 * the first start only and reused afterwards. Clients connect to {@code 127.0.0.1:<port>}.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** Records up to this size (a chunk of a large MySQL transaction plus metadata) are accepted. */
    public static final int MESSAGE_MAX_BYTES = 16 * 1024 * 1024;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final Path logDir;
    private final int port;
    private KafkaRaftServer server;

    public EmbeddedKafka(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = logDirIn(this.dataDir);
        this.port = port;
    }

    /**
     * {@code <dataDir>/kafka}; relays before 0.1.0 nested it one level deeper ({@code <dataDir>/kafka/kafka}),
     * and a broker already formatted there keeps its data where it is.
     */
    static Path logDirIn(Path dataDir) {
        Path logDir = dataDir.resolve("kafka");
        Path nested = logDir.resolve("kafka");
        if (!Files.exists(logDir.resolve("meta.properties")) && Files.exists(nested.resolve("meta.properties"))) {
            LOG.warn("embedded Kafka: using the existing broker data in {} (older layout; new data directories use {})", nested, logDir);
            return nested;
        }
        return logDir;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Formats the storage if needed, starts the broker and blocks until it answers a describeCluster. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("embedded Kafka already started on " + bootstrap());
        }
        long t0 = System.nanoTime();
        Properties props = brokerProperties(freeLoopbackPort());
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props);
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            s.startup();
            awaitReady();
        } catch (RuntimeException e) {
            shutdown(s);
            throw e;
        }
        server = s;
        LOG.info("Embedded Kafka listening on {} (data {}) after {} ms", bootstrap(), logDir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Shuts the broker down (controlled) and waits for it. The data stays for the next start. */
    @Override
    public synchronized void close() {
        if (server != null) {
            LOG.info("Stopping embedded Kafka on {}", bootstrap());
            shutdown(server);
            server = null;
        }
    }

    private static void shutdown(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka shutdown failed", e);
        }
    }

    private Properties brokerProperties(int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A static voter set (kraft.version 0) is not stored in the log, so the controller port may change between
        // starts; it is only ever used inside this process.
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        p.put("auto.create.topics.enable", "false");
        // A transaction that starts while the previous one's markers are being written is parked by the broker for
        // this long (default 20 ms) before it retries: that was most of the relay's p90/p99 lag (docs/benchmarks.md).
        p.put("add.partitions.to.txn.retry.backoff.ms", "1");
        return p;
    }

    /** {@code kafka-storage.sh format -t <random cluster id> -c <props>}, in-process. */
    private void format(Properties props) {
        Path config = dataDir.resolve("embedded-kafka-format.properties");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(w, "embedded Kafka (format only)");
            }
            String clusterId = Uuid.randomUuid().toString();
            LOG.info("Formatting embedded Kafka storage {} (cluster id {})", logDir, clusterId);
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool$.MODULE$.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                        ps);
            }
            Files.deleteIfExists(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage " + logDir + ": "
                    + out.toString(StandardCharsets.UTF_8), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage " + logDir + " failed (" + rc + "): "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                            .get(6, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
                } catch (Exception e) {
                    last = e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
                }
            }
        }
        throw new IllegalStateException("embedded Kafka did not answer on " + bootstrap() + " within "
                + START_TIMEOUT.toSeconds() + " s", last);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Kafka controller", e);
        }
    }
}
