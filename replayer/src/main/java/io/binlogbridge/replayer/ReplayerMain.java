package io.binlogbridge.replayer;

import io.binlogbridge.replayer.backend.QueryBackends;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.lifecycle.GracefulStop;
import io.binlogbridge.server.handshake.UsersFile;
import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.replayer.archive.ArchiveMain;
import io.binlogbridge.replayer.cluster.ClusterLog;
import io.binlogbridge.replayer.cluster.Clusters;
import io.binlogbridge.replayer.ops.ReplayerEndpoint;
import io.binlogbridge.replayer.archive.ArchiveConfig;
import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.netty.util.internal.PlatformDependent;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.server.access.UsersFileWatcher;
import io.binlogbridge.server.rsa.RsaKeyException;
import io.binlogbridge.server.rsa.RsaKeys;
import io.binlogbridge.server.security.SecurityOptions;
import io.binlogbridge.server.tls.TlsConfigurationException;
import io.binlogbridge.server.tls.TransportSecurity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar replayer.jar --kafka-bootstrap HOST:PORT (--topic T | --cluster NAME=TOPIC ...) --port P --users-file F [--server-id N] [--tls-cert PEM --tls-key PEM]},
 * {@code java -jar replayer.jar user add NAME} ({@link UserCommand}), and {@code java -jar replayer.jar archive ...}
 * ({@link ArchiveMain}).
 */
public final class ReplayerMain {
    private static final Logger log = LoggerFactory.getLogger(ReplayerMain.class);
    public static final int EXIT_USAGE = 2;

    private ReplayerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("user")) {
            System.exit(UserCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals(ArchiveMain.COMMAND)) {
            System.exit(ArchiveMain.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
            return;
        }
        ReplayerConfig config;
        UsersFileWatcher users;
        TransportSecurity transport;
        Supplier<RsaKeys> rsaKeys;
        Properties kafka;
        try {
            config = parseOrExit(args, System.getenv(), System.out, System.err);
            users = UsersFile.load(config.usersFile());
            transport = config.security().transport();
            rsaKeys = rsaKeys(config);
            kafka = kafkaProperties(config);
        } catch (ExitException e) {
            System.exit(e.code);
            return;
        } catch (OptionException | TlsConfigurationException | RsaKeyException e) {
            System.err.println("replayer: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        reloadUsersOnSighup(users);
        long dumpCache = config.dumpCacheSize();
        long directMemory = PlatformDependent.maxDirectMemory();
        if (dumpCache > directMemory / 2) {
            // Dumps also need direct memory for the packets on their way to the clients.
            log.warn("--dump-cache-size {} MiB is more than half of the JVM's direct memory ({} MiB, -XX:MaxDirectMemorySize"
                    + " or -Xmx): using {} MiB", dumpCache >> 20, directMemory >> 20, (directMemory / 2) >> 20);
            dumpCache = directMemory / 2;
        }
        ArchiveStorage archiveStorage;
        try {
            archiveStorage = openArchive(config);
        } catch (ArchiveException e) {
            System.err.println("replayer: --" + ReplayerConfig.ARCHIVE + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Clusters clusters = clusters(config, kafka, dumpCache, archiveStorage);
        ClusterLog first = clusters.first();
        ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings(config.bindAddress(), config.port(), users,
                first.index(), first.served().dumps(), config.maxPacketSize(), 0, transport,
                config.maxConnections(), rsaKeys, config.maxUserConnections()), clusters.served(), QueryBackends.of(config.queryBackend()));
        MeteredEndpoint http = null;
        if (config.httpPort() != null) {
            // Before anything waits on Kafka: /health answers, and /ready says what the replayer is waiting for.
            try {
                // /ready and /status describe the first cluster's log; the meters are per cluster.
                http = ReplayerEndpoint.start(config.httpBindAddress(), config.httpPort(), first.topic(), config.kafkaBootstrap(),
                        server, clusters.meters());
            } catch (IOException | RuntimeException e) {
                System.err.println("replayer: cannot listen on " + config.httpBindAddress() + ":" + config.httpPort() + " for --"
                        + ReplayerConfig.HTTP_PORT + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        try {
            for (ClusterLog cluster : clusters.all()) {
                if (!topicExists(kafka, config.kafkaBootstrap(), cluster.topic())) {
                    log.warn("topic {} does not exist yet: serving an empty log until a relay creates it", cluster.topic());
                }
            }
        } catch (IOException e) {
            System.err.println("replayer: " + e.getMessage());
            System.exit(1);
            return;
        }
        MeteredEndpoint endpoint = http;
        CountDownLatch stopRequested = new CountDownLatch(1);
        GracefulStop stop = new GracefulStop("no new connections; ending each dump at an event boundary", stopRequested::countDown);
        // Clients are let in once the indexes are loaded: until then the greeting's server version, SHOW BINARY LOGS
        // and the GTID variables would describe an empty log (a MariaDB client refuses a MySQL version).
        clusters.startIndexingAndAwait();
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("replayer: cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e);
            System.exit(1);
            return;
        }
        clusters.startMaintenance();
        stopRequested.await();
        clusters.stopRetention();
        server.stopAccepting();
        clusters.finishDumps(config.shutdownTimeout());
        if (endpoint != null) {
            endpoint.close();
        }
        server.close();
        clusters.close();
        log.info("replayer stopped");
        stop.close();
        System.exit(0);
    }

    /** One {@link ClusterLog} per cluster; the dump cache is shared out evenly, the archive (one cluster only) is the first's. */
    private static Clusters clusters(ReplayerConfig config, Properties kafka, long dumpCache, ArchiveStorage archive) {
        List<ClusterLog> logs = new ArrayList<>();
        long perCluster = Math.max(4 << 20, dumpCache / config.clusters().size());
        for (ReplayerConfig.ClusterTopic cluster : config.clusters()) {
            logs.add(new ClusterLog(cluster, config, kafka, perCluster, logs.isEmpty() ? archive : null));
        }
        if (logs.size() > 1) {
            log.info("serving {} clusters: {}", logs.size(), config.clusters());
        }
        return new Clusters(logs);
    }

    /**
     * {@code --archive}: the storage, checked now so a wrong DEST fails at startup, not at the first PURGE or dump; null
     * without it.
     */
    private static ArchiveStorage openArchive(ReplayerConfig config) throws ArchiveException {
        if (config.archive() == null) {
            return null;
        }
        ArchiveStorage storage = ArchiveStorage.open(config.archive(), config.archiveS3(), ArchiveConfig.FIND_PART_SIZE);
        try {
            storage.check();
        } catch (ArchiveException e) {
            storage.close();
            throw e;
        }
        log.info("--{} {}: PURGE BINARY LOGS and retention drop only the files it holds complete; dumps read purged history from it",
                ReplayerConfig.ARCHIVE, storage.describe());
        return storage;
    }

    /** SIGHUP re-reads the users file, as MySQL's FLUSH PRIVILEGES would (the file is also watched for changes). */
    private static void reloadUsersOnSighup(UsersFileWatcher users) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> users.reload());
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // The JVM keeps a SIGHUP the process was started ignoring (nohup) ignored, handler or not.
                log.warn("SIGHUP is ignored by this process (started under nohup?): kill -HUP will not re-read the users file;"
                        + " it is still re-read when it changes");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP is not available here ({}): the users file is still re-read when it changes", e.getMessage());
        }
    }

    /**
     * The caching_sha2_password RSA pair: the files given (read now, so a bad file stops the start), else a new pair, as
     * mysqld makes one at start without key files. A 2048-bit pair takes up to a second to generate on a cold JVM, so it
     * is made while the index loads, not before; a client that needs it first waits for it.
     */
    private static Supplier<RsaKeys> rsaKeys(ReplayerConfig config) throws RsaKeyException {
        RsaKeys loaded = config.security().loadRsaKeys();
        if (loaded != null) {
            return () -> loaded;
        }
        CompletableFuture<RsaKeys> generating = CompletableFuture.supplyAsync(RsaKeys::generate);
        generating.thenRun(() -> log.info("generated a 2048-bit RSA key pair for caching_sha2_password full authentication"
                + " without TLS (no --{}/--{})", SecurityOptions.REPLAYER.rsaPrivateKey(), SecurityOptions.REPLAYER.rsaPublicKey()));
        return generating::join;
    }

    static Properties kafkaProperties(ReplayerConfig config) throws OptionException {
        return kafkaProperties(config.kafkaProperties(), config.kafkaBootstrap());
    }

    /** The Kafka client settings: {@code --kafka-properties} (null: none) and the bootstrap servers. */
    public static Properties kafkaProperties(Path propertiesFile, String bootstrap) throws OptionException {
        Properties kafka = new Properties();
        if (propertiesFile != null) {
            try (Reader reader = Files.newBufferedReader(propertiesFile)) {
                kafka.load(reader);
            } catch (IOException e) {
                throw new OptionException("cannot read --kafka-properties " + propertiesFile + ": " + e.getMessage());
            }
        }
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return kafka;
    }

    /** Whether {@code topic} exists; an IOException, its message one line for the user, when Kafka does not answer in 30 s. */
    public static boolean topicExists(Properties kafka, String bootstrap, String topic) throws IOException, InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot reach Kafka at " + bootstrap + " within 30 s"
                    + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""), e);
        }
    }

    /** Thrown instead of System.exit so the parsing is testable. */
    static final class ExitException extends Exception {
        final int code;

        ExitException(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    static ReplayerConfig parseOrExit(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws ExitException {
        if (OptionSet.wantsHelp(args)) {
            out.print(ReplayerConfig.DEFINITION.help());
            throw new ExitException(0);
        }
        try {
            return ReplayerConfig.parse(args, env);
        } catch (OptionException e) {
            err.println("replayer: " + e.getMessage());
            throw new ExitException(EXIT_USAGE);
        }
    }
}
