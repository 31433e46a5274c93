package io.binlogbridge.relay;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.lifecycle.GracefulStop;
import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.core.protocol.tls.ClientTls;
import io.binlogbridge.core.protocol.tls.ClientTlsOptions;
import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.StartPosition;
import io.binlogbridge.relay.admin.AdminServer;
import io.binlogbridge.relay.admin.ReplicaThread;
import io.binlogbridge.relay.kafka.EmbeddedKafka;
import io.binlogbridge.server.access.UsersFileWatcher;
import io.binlogbridge.server.rsa.RsaKeyException;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.security.SecuritySettings;
import io.binlogbridge.server.tls.TlsConfigurationException;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.handshake.UsersFile;
import io.binlogbridge.relay.ops.RelayEndpoint;
import io.binlogbridge.relay.ops.RelayProgress;
import io.binlogbridge.relay.ops.RelayProgressLog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** relay-server's command line. Exit codes: 0 stopped on request, 1 relay failure, 2 bad options. */
public final class RelayMain {
    private static final Logger log = LoggerFactory.getLogger(RelayMain.class);

    private RelayMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        OptionSet definitions = RelayOptions.definitions();
        if (OptionSet.wantsHelp(args)) {
            System.out.print(definitions.help());
            return 0;
        }
        RelaySettings settings;
        Options options;
        SecuritySettings adminSecurity;
        int httpPort;
        Duration progressInterval;
        try {
            options = definitions.parse(args, System.getenv());
            settings = settings(options, null);
            adminSecurity = adminSecurity(options);
            httpPort = RelayEndpoint.port(options);
            progressInterval = options.duration(RelayOptions.PROGRESS_INTERVAL);
            if (progressInterval.isNegative()) {
                throw new OptionException("--" + RelayOptions.PROGRESS_INTERVAL + " must not be negative");
            }
        } catch (OptionException e) {
            System.err.println("relay-server: " + e.getMessage());
            return 2;
        }
        RelayProgress progress = new RelayProgress(settings.source().address(), settings.topic());
        RelayProgressLog progressLog = RelayProgressLog.start(progress, progressInterval);
        MeteredEndpoint http = null;
        if (httpPort >= 0) {
            try {
                http = RelayEndpoint.start(options, httpPort, progress);
            } catch (IOException | RuntimeException e) {
                System.err.println("relay-server: cannot listen on " + options.string(RelayOptions.HTTP_BIND_ADDRESS) + ":" + httpPort
                        + " for --" + RelayOptions.HTTP_PORT + ": " + e.getMessage());
                progressLog.close();
                return 1;
            }
        }
        try {
            return run(options, settings, adminSecurity, progress);
        } finally {
            progressLog.close();
            if (http != null) {
                http.close();
            }
        }
    }

    private static int run(Options options, RelaySettings settings, SecuritySettings adminSecurity, RelayProgress progress) {
        EmbeddedKafka embedded = null;
        try {
            if (!options.has(RelayOptions.KAFKA_BOOTSTRAP)) {
                embedded = new EmbeddedKafka(Path.of(options.string(RelayOptions.DATA_DIR)), options.integer(RelayOptions.EMBEDDED_KAFKA_PORT));
                embedded.start();
                log.info("embedded Kafka broker listening on {} (data in {})", embedded.bootstrap(), embedded.logDir());
                settings = settings(options, embedded.bootstrap());
            }
        } catch (OptionException | RuntimeException e) {
            System.err.println("relay-server: cannot start the embedded Kafka broker: " + e.getMessage());
            return 1;
        }
        if (options.has(RelayOptions.ADMIN_PORT)) {
            try {
                return runWithAdminPort(options, settings, adminSecurity, progress);
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }
        Relay relay = new Relay(settings, progress);
        GracefulStop stop = new GracefulStop("committing what is complete", relay::close);
        int exit = 0;
        try {
            relay.run();
            log.info("relay stopped");
        } catch (RelayException e) {
            // The operator gets one line (below); the cause's stack trace only at debug level.
            log.debug("relay failed: {}", e.getMessage(), e);
            System.err.println("relay-server: " + e.getMessage());
            exit = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.close();
            if (embedded != null) {
                embedded.close();
            }
        }
        return exit;
    }

    /**
     * The relay under the admin port's control: it runs until SIGTERM, whatever happens to the relay, which the
     * admin statements stop, re-point and start again.
     */
    private static int runWithAdminPort(Options options, RelaySettings settings, SecuritySettings security, RelayProgress progress) {
        UsersFileWatcher users;
        TransportSecurity transport;
        RsaKeys rsaKeys;
        try {
            if (!options.has(RelayOptions.USERS_FILE)) {
                throw new OptionException("--" + RelayOptions.ADMIN_PORT + " needs --" + RelayOptions.USERS_FILE);
            }
            users = UsersFile.load(Path.of(options.string(RelayOptions.USERS_FILE)));
            transport = security.transport();
            rsaKeys = security.loadRsaKeys();
        } catch (OptionException | TlsConfigurationException | RsaKeyException e) {
            System.err.println("relay-server: " + e.getMessage());
            return 2;
        }
        ReplicaThread replica = new ReplicaThread(settings, progress);
        // The admin port rarely meets a client that needs the RSA key: without key files, a pair is made on first use.
        AdminServer admin = new AdminServer(options.string(RelayOptions.ADMIN_BIND_ADDRESS), options.integer(RelayOptions.ADMIN_PORT),
                users, transport, rsaKeys != null ? () -> rsaKeys : RsaKeys.generatedOnFirstUse("relay admin port"),
                replica, progress, settings.startupTimeout());
        CountDownLatch stopRequested = new CountDownLatch(1);
        GracefulStop stop = new GracefulStop("committing what is complete", stopRequested::countDown);
        try {
            admin.start();
            replica.start(Duration.ZERO);
            stopRequested.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            // Netty rethrows a bind failure (a checked BindException) without declaring it.
            System.err.println("relay-server: cannot listen on " + options.string(RelayOptions.ADMIN_BIND_ADDRESS) + ":"
                    + options.integer(RelayOptions.ADMIN_PORT) + " for --" + RelayOptions.ADMIN_PORT + ": " + e.getMessage());
            return 1;
        } finally {
            admin.close();
            try {
                replica.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.close();
        }
    }

    /** The admin port's TLS and RSA key options, which mean nothing without --admin-port. */
    static SecuritySettings adminSecurity(Options o) throws OptionException {
        if (!o.has(RelayOptions.ADMIN_PORT)) {
            String set = RelayOptions.ADMIN_SECURITY.firstSet(o);
            if (set != null) {
                throw new OptionException("--" + set + " needs --" + RelayOptions.ADMIN_PORT);
            }
            return SecuritySettings.NONE;
        }
        return RelayOptions.ADMIN_SECURITY.parse(o);
    }

    static RelaySettings settings(Options o, String embeddedBootstrap) throws OptionException {
        String password = "";
        if (o.has(RelayOptions.SOURCE_PASSWORD_FILE)) {
            Path file = Path.of(o.string(RelayOptions.SOURCE_PASSWORD_FILE));
            try {
                password = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new OptionException("cannot read --source-password-file " + file + ": " + e.getMessage());
            }
        }
        StartPosition start;
        try {
            start = StartPosition.parse(o.string(RelayOptions.START));
            if (start instanceof StartPosition.Gtid g) {
                validateGtid(g.gtidSet());
            }
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage());
        }
        long chunk = o.bytes(RelayOptions.CHUNK_SIZE);
        if (chunk < 16 << 10 || chunk > 8 << 20) {
            throw new OptionException("--chunk-size must be between 16k and 8m");
        }
        int serverId = o.integer(RelayOptions.SERVER_ID);
        if (serverId <= 0) {
            throw new OptionException("--server-id must be a positive number unique among the source's replicas");
        }
        Properties kafka = new Properties();
        if (o.has(RelayOptions.KAFKA_PROPERTIES)) {
            Path file = Path.of(o.string(RelayOptions.KAFKA_PROPERTIES));
            try (Reader reader = Files.newBufferedReader(file)) {
                kafka.load(reader);
            } catch (IOException e) {
                throw new OptionException("cannot read --kafka-properties " + file + ": " + e.getMessage());
            }
        }
        if (kafka.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)) {
            throw new OptionException("--kafka-properties sets " + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG + ": use --"
                    + RelayOptions.TRANSACTION_TIMEOUT + " instead");
        }
        Optional<Duration> transactionTimeout = Optional.empty();
        if (o.has(RelayOptions.TRANSACTION_TIMEOUT)) {
            transactionTimeout = Optional.of(o.duration(RelayOptions.TRANSACTION_TIMEOUT));
            if (transactionTimeout.get().compareTo(Duration.ofSeconds(1)) < 0 || transactionTimeout.get().toMillis() > Integer.MAX_VALUE) {
                throw new OptionException("--" + RelayOptions.TRANSACTION_TIMEOUT + " must be between 1s and "
                        + Integer.MAX_VALUE + "ms (and at most the brokers' transaction.max.timeout.ms)");
            }
        }
        String bootstrap = o.has(RelayOptions.KAFKA_BOOTSTRAP) ? o.string(RelayOptions.KAFKA_BOOTSTRAP) : embeddedBootstrap;
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap == null ? "127.0.0.1:" + o.integer(RelayOptions.EMBEDDED_KAFKA_PORT) : bootstrap);
        kafka.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "binlog-bridge-relay");
        String topic = o.string(RelayOptions.TOPIC);
        Duration heartbeat = o.duration(RelayOptions.HEARTBEAT_PERIOD);
        if (heartbeat.toMillis() < 100) {
            throw new OptionException("--heartbeat-period must be at least 100ms");
        }
        SourceConfig source = new SourceConfig(o.string(RelayOptions.SOURCE_HOST), o.integer(RelayOptions.SOURCE_PORT),
                o.string(RelayOptions.SOURCE_USER), password, serverId, heartbeat, Duration.ofSeconds(10), (int) chunk,
                o.flag(RelayOptions.SEMI_SYNC)).withTls(sourceTls(o));
        return new RelaySettings(source, topic, kafka, start,
                o.optional(RelayOptions.TRANSACTIONAL_ID).orElse("binlog-bridge-relay-" + topic),
                o.flag(RelayOptions.ALLOW_UNSAFE_TOPIC), o.duration(RelayOptions.MAX_COMMIT_DELAY),
                o.bytes(RelayOptions.MAX_COMMIT_BYTES), (int) Math.min(Integer.MAX_VALUE, o.bytes(RelayOptions.QUEUE_SIZE)),
                o.duration(RelayOptions.STARTUP_TIMEOUT), transactionTimeout);
    }

    private static ClientTls sourceTls(Options o) throws OptionException {
        try {
            return ClientTlsOptions.parse("--" + RelayOptions.SOURCE_SSL_MODE, o.string(RelayOptions.SOURCE_SSL_MODE),
                    "--" + RelayOptions.SOURCE_SSL_CA, o.optional(RelayOptions.SOURCE_SSL_CA).orElse(null));
        } catch (ClientTlsOptions.InvalidOption e) {
            throw new OptionException(e.getMessage());
        }
    }

    private static void validateGtid(String set) {
        try {
            if (set.matches("[0-9]+-[0-9]+-[0-9]+(\\s*,\\s*[0-9]+-[0-9]+-[0-9]+)*")) {
                io.binlogbridge.core.gtid.MariaDbGtidPosition.parse(set);
            } else {
                io.binlogbridge.core.gtid.MySqlGtidSet.parse(set);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--start gtid:" + set + " is not a GTID set: " + e.getMessage());
        }
    }
}
