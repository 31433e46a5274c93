package io.binlogbridge.replayer;

import io.binlogbridge.replayer.backend.QueryBackends;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.lifecycle.GracefulStop;
import io.binlogbridge.server.handshake.UsersFile;
import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.replayer.archive.ArchiveMain;
import io.binlogbridge.replayer.dump.ArchiveHistory;
import io.binlogbridge.replayer.dump.BinlogEventsReader;
import io.binlogbridge.replayer.dump.KafkaDumpRequestHandler;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.LogIndexer;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.ops.ReplayerEndpoint;
import io.binlogbridge.replayer.snapshot.IndexCheckpointer;
import io.binlogbridge.replayer.snapshot.IndexSnapshotStore;
import io.binlogbridge.replayer.snapshot.SnapshotRestorer;
import io.binlogbridge.replayer.purge.ArchiveGuard;
import io.binlogbridge.replayer.purge.KafkaPurger;
import io.binlogbridge.replayer.purge.Retention;
import io.binlogbridge.replayer.purge.RetentionPolicy;
import io.binlogbridge.replayer.archive.ArchiveConfig;
import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.netty.buffer.PooledByteBufAllocator;
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
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
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
 * {@code java -jar replayer.jar --kafka-bootstrap HOST:PORT --topic T --port P --users-file F [--server-id N] [--tls-cert PEM --tls-key PEM]},
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
        LogIndex index = new LogIndex(config.serverId(), config.sourceFlavor());
        LogConsumers consumers = new LogConsumers(kafka, config.topic());
        IndexSnapshotStore snapshots = config.indexTopic() == null ? null : new IndexSnapshotStore(kafka, config.topic(), config.indexTopic());
        SnapshotRestorer restorer = snapshots == null ? null : new SnapshotRestorer(snapshots, consumers);
        LogIndexer indexer = new LogIndexer(consumers, index, restorer);
        long dumpCache = config.dumpCacheSize();
        long directMemory = PlatformDependent.maxDirectMemory();
        if (dumpCache > directMemory / 2) {
            // Dumps also need direct memory for the packets on their way to the clients.
            log.warn("--dump-cache-size {} MiB is more than half of the JVM's direct memory ({} MiB, -XX:MaxDirectMemorySize"
                    + " or -Xmx): using {} MiB", dumpCache >> 20, directMemory >> 20, (directMemory / 2) >> 20);
            dumpCache = directMemory / 2;
        }
        RecordBlockCache blocks = new RecordBlockCache(consumers, index, dumpCache, 4 << 20, 2, PooledByteBufAllocator.DEFAULT);
        ArchiveStorage archiveStorage;
        try {
            archiveStorage = openArchive(config);
        } catch (ArchiveException e) {
            System.err.println("replayer: --" + ReplayerConfig.ARCHIVE + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        // One storage for both: the guard owns it (closes it with the purger, after the dumps have ended).
        ArchiveGuard archive = archiveStorage == null ? null : new ArchiveGuard(archiveStorage, index);
        KafkaDumpRequestHandler dumps = new KafkaDumpRequestHandler(index, consumers, blocks, config.maxDumps(),
                archiveStorage == null ? null : new ArchiveHistory(archiveStorage));
        BinlogEventsReader binlogEvents = new BinlogEventsReader(index, blocks);
        KafkaPurger purger = new KafkaPurger(index, consumers, ZoneId.systemDefault(), archive);
        Retention retention = config.binlogExpireLogsSeconds() == 0 ? null
                : new Retention(purger, index,
                        RetentionPolicy.expireAfter(Duration.ofSeconds(config.binlogExpireLogsSeconds())), Clock.systemDefaultZone());
        ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings(config.bindAddress(), config.port(), users,
                index, dumps, config.maxPacketSize(), 0, transport,
                config.maxConnections(), rsaKeys, config.maxUserConnections()), binlogEvents, purger, QueryBackends.of(config.queryBackend()));
        MeteredEndpoint http = null;
        if (config.httpPort() != null) {
            // Before anything waits on Kafka: /health answers, and /ready says what the replayer is waiting for.
            try {
                http = ReplayerEndpoint.start(config.httpBindAddress(), config.httpPort(), config.topic(), config.kafkaBootstrap(),
                        index, server, blocks);
            } catch (IOException | RuntimeException e) {
                System.err.println("replayer: cannot listen on " + config.httpBindAddress() + ":" + config.httpPort() + " for --"
                        + ReplayerConfig.HTTP_PORT + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        try {
            if (!topicExists(kafka, config.kafkaBootstrap(), config.topic())) {
                log.warn("topic {} does not exist yet: serving an empty log until a relay creates it", config.topic());
            }
        } catch (IOException e) {
            System.err.println("replayer: " + e.getMessage());
            System.exit(1);
            return;
        }
        MeteredEndpoint endpoint = http;
        CountDownLatch stopRequested = new CountDownLatch(1);
        GracefulStop stop = new GracefulStop("no new connections; ending each dump at an event boundary", stopRequested::countDown);
        indexer.start();
        // Clients are let in once the index is loaded: until then the greeting's server version, SHOW BINARY LOGS
        // and the GTID variables would describe an empty log (a MariaDB client refuses a MySQL version).
        while (!index.awaitReady(10, TimeUnit.SECONDS)) {
            log.info("still indexing topic {} ({} records so far)", config.topic(), index.nextOffset());
        }
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("replayer: cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e);
            System.exit(1);
            return;
        }
        if (retention != null) {
            retention.start();
        }
        IndexCheckpointer checkpointer = snapshots == null ? null
                : new IndexCheckpointer(snapshots, index, config.topic(), restorer.restoredOffset());
        if (checkpointer != null) {
            checkpointer.start();
        }
        stopRequested.await();
        if (retention != null) {
            retention.close();
        }
        server.stopAccepting();
        dumps.finishAll(config.shutdownTimeout());
        if (endpoint != null) {
            endpoint.close();
        }
        server.close();
        dumps.close();
        binlogEvents.close();
        purger.close();
        blocks.close();
        if (checkpointer != null) {
            // Before the indexer stops: the last snapshot covers everything this replayer indexed.
            checkpointer.close();
            snapshots.close();
        }
        indexer.close();
        log.info("replayer stopped");
        stop.close();
        System.exit(0);
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
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> users.reload());
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
