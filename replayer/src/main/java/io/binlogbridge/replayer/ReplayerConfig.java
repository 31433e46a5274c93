package io.binlogbridge.replayer;

import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.replayer.backend.QueryBackendOptions;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.OptionType;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.core.http.HttpOptions;
import io.binlogbridge.replayer.archive.ArchiveConfig;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.security.SecurityOptions;
import io.binlogbridge.server.security.SecuritySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;

/** The replayer's options, declared once in {@link #DEFINITION}; {@code --help} is generated from it. */
public record ReplayerConfig(
        String kafkaBootstrap,
        String topic,
        int port,
        Path usersFile,
        Long serverId,
        String bindAddress,
        int maxPacketSize,
        Path kafkaProperties,
        long dumpCacheSize,
        Flavor sourceFlavor,
        Integer httpPort,
        String httpBindAddress,
        SecuritySettings security,
        int maxConnections,
        int maxUserConnections,
        int maxDumps,
        Duration shutdownTimeout,
        String archive,
        ArchiveStorage.S3Settings archiveS3,
        long binlogExpireLogsSeconds,
        ConnectionSettings queryBackend,
        String indexTopic,
        List<ClusterTopic> clusters) {

    /**
     * One cluster the replayer serves: its name (what {@code user|NAME}, {@code USE NAME} and {@code privilege@NAME}
     * say) and its binlog topic; {@code indexTopic} its index snapshots' topic, null for none.
     */
    public record ClusterTopic(String name, String topic, String indexTopic) {}

    public static final String KAFKA_BOOTSTRAP = "kafka-bootstrap";
    public static final String TOPIC = "topic";
    public static final String CLUSTER = "cluster";
    public static final String PORT = "port";
    public static final String USERS_FILE = "users-file";
    public static final String SERVER_ID = "server-id";
    public static final String BIND_ADDRESS = "bind-address";
    public static final String MAX_PACKET_SIZE = "max-packet-size";
    public static final String KAFKA_PROPERTIES = "kafka-properties";
    public static final String DUMP_CACHE_SIZE = "dump-cache-size";
    public static final String SOURCE_FLAVOR = "source-flavor";
    public static final String HTTP_PORT = HttpOptions.PORT;
    public static final String HTTP_BIND_ADDRESS = HttpOptions.BIND_ADDRESS;
    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String MAX_DUMPS = "max-dumps";
    public static final String MAX_USER_CONNECTIONS = "max-user-connections";
    public static final String SHUTDOWN_TIMEOUT = "shutdown-timeout";
    public static final String ARCHIVE = "archive";
    public static final String BINLOG_EXPIRE_LOGS_SECONDS = "binlog-expire-logs-seconds";
    public static final String INDEX_TOPIC = "index-topic";
    public static final String NO_INDEX_SNAPSHOT = "no-index-snapshot";

    public static final OptionSet DEFINITION = QueryBackendOptions.declare(ArchiveConfig.s3Options(SecurityOptions.REPLAYER.declare(new OptionSet("java -jar replayer.jar",
            "Serves the MySQL replication protocol (COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID) from a binlog-bridge\n"
                    + "Kafka topic, so MySQL/MariaDB replicas and CDC tools replicate from Kafka as from the source.")
            .required(KAFKA_BOOTSTRAP, OptionType.STRING, "Kafka bootstrap servers holding the binlog topic.")
            .optional(TOPIC, OptionType.STRING, "The binlog topic to serve (written by relay-server or the connector): one cluster, "
                    + "named as the topic (for privilege@NAME grants and user|NAME). Give --topic or --cluster.")
            .repeatable(CLUSTER, OptionType.STRING, "NAME=TOPIC: serve the binlog topic TOPIC as cluster NAME; repeat (or a comma "
                    + "list) for several clusters on one port. Each has its own index, identity, SHOW BINARY LOGS and GTID state. A "
                    + "client chooses with the user name 'user|NAME', USE NAME, or by being granted only one cluster "
                    + "(docs/security.md); the greeting shows the first cluster's version. Instead of --topic.")
            .required(PORT, OptionType.INT, "TCP port for MySQL protocol clients (replicas, CDC tools).")
            .required(USERS_FILE, OptionType.STRING, "File of name:secret[:privileges] lines that may connect (docs/security.md); "
                    + "secret: a hash from 'user add', or MySQL's caching_sha2 authentication_string as 0x + HEX. Privileges may carry "
                    + "max_user_connections=N and require=x509. Re-read when it changes or on SIGHUP."))
            .optional(SERVER_ID, OptionType.LONG, "Server id reported as @@server_id and in generated events. Default: the source's, from the log, so replicas see the source.")
            .withDefault(BIND_ADDRESS, OptionType.STRING, "0.0.0.0", "Address to listen on.")
            .optional(HTTP_PORT, OptionType.INT, HttpOptions.PORT_DOC + " Ready: the log index has caught up with the topic and MySQL clients are accepted.")
            .withDefault(HTTP_BIND_ADDRESS, OptionType.STRING, HttpOptions.DEFAULT_BIND_ADDRESS, HttpOptions.BIND_ADDRESS_DOC)
            .withDefault(MAX_CONNECTIONS, OptionType.INT, "151", "Client connections served at once (MySQL's max_connections): one more gets ERROR 1040 \"Too many connections\" in place of the greeting, which replicas retry.")
            .withDefault(MAX_USER_CONNECTIONS, OptionType.INT, "0", "Connections one user may hold at once, queries and dumps together "
                    + "(MySQL's max_user_connections): one more gets ERROR 1203 after authenticating. A user's own "
                    + "max_user_connections=N in the users file replaces it (ERROR 1226). 0: no limit.")
            .withDefault(MAX_DUMPS, OptionType.INT, "0", "Binlog dumps served at once; one more gets ERROR 1040, which replicas retry. 0: no limit but --max-connections.")
            .withDefault(SHUTDOWN_TIMEOUT, OptionType.DURATION, "10s", "On SIGTERM: how long dumps may take to reach an event boundary before their connections close anyway. The replayer stops accepting at once and exits 0.")
            .withDefault(MAX_PACKET_SIZE, OptionType.BYTES, "16m", "Largest command packet accepted from a client (larger: ERR 1153 and close).")
            .optional(KAFKA_PROPERTIES, OptionType.STRING, "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...).")
            .withDefault(DUMP_CACHE_SIZE, OptionType.BYTES, "64m", "Off-heap memory for log blocks shared by the dumps: replicas reading the same history fetch it from Kafka once.")
            .withDefault(SOURCE_FLAVOR, OptionType.STRING, "mysql", "mysql or mariadb: the server the replayer says it is while the log is empty (no relay has "
                    + "written it yet), so replicas that connect early use the right features (a MariaDB replica uses GTIDs only with a "
                    + "MariaDB source). Once the log has a record, the log's own source.")
            .optional(ARCHIVE, OptionType.STRING, "The archive of this log, as 'replayer.jar archive --to' writes it: a directory or "
                    + "s3://BUCKET/PREFIX (with the --s3-* options). PURGE BINARY LOGS and retention then never drop a file the archive "
                    + "does not hold complete (manifest present and matching), and a dump (file/position or GTID) that starts in history "
                    + "the topic no longer holds is served from the archived files, each checked (CRC32, size, SHA-256), then goes on from "
                    + "the topic without a seam.")
            .withDefault(BINLOG_EXPIRE_LOGS_SECONDS, OptionType.LONG, "0", "Retention, as MySQL's binlog_expire_logs_seconds: purge the "
                    + "files whose last event is older than this many seconds (never the file being written; with --archive only archived "
                    + "ones), checked periodically. 0: never.")
            .optional(INDEX_TOPIC, OptionType.STRING, "Compacted topic where the replayer keeps a snapshot of its index of the log "
                    + "(files, offsets, GTID state), created if missing. At start it restores the snapshot and reads only the records "
                    + "written after it, so start-up does not grow with the log; a snapshot that does not hold for the topic as it is "
                    + "(another topic id, purged since, incomplete) is ignored and the whole topic read. Several replayers of one topic "
                    + "may share it. Default: <topic>.index.")
            .flag(NO_INDEX_SNAPSHOT, "Neither restore nor write index snapshots: read the whole topic at every start.")));

    /** Parses and validates the options (the caller handles --help first). */
    public static ReplayerConfig parse(String[] args, Map<String, String> env) throws OptionException {
        Options o = DEFINITION.parse(args, env);
        int port = o.integer(PORT);
        if (port < 0 || port > 65535) {
            throw new OptionException("--port must be 0..65535, got " + port);
        }
        Long serverId = o.has(SERVER_ID) ? o.longValue(SERVER_ID) : null;
        if (serverId != null && (serverId < 1 || serverId > 0xFFFFFFFFL)) {
            throw new OptionException("--server-id must be 1..4294967295, got " + serverId);
        }
        long maxPacket = o.bytes(MAX_PACKET_SIZE);
        if (maxPacket < 1024 || maxPacket > 1L << 30) {
            throw new OptionException("--max-packet-size must be between 1k and 1g");
        }
        long dumpCache = o.bytes(DUMP_CACHE_SIZE);
        if (dumpCache < 4 << 20) {
            throw new OptionException("--dump-cache-size must be at least 4m");
        }
        Flavor flavor = switch (o.string(SOURCE_FLAVOR).toLowerCase(Locale.ROOT)) {
            case "mysql" -> Flavor.MYSQL;
            case "mariadb" -> Flavor.MARIADB;
            default -> throw new OptionException("--source-flavor must be mysql or mariadb, got " + o.string(SOURCE_FLAVOR));
        };
        Integer httpPort = o.has(HTTP_PORT) ? HttpOptions.port(o.integer(HTTP_PORT)) : null;
        SecuritySettings security = SecurityOptions.REPLAYER.parse(o);
        List<ClusterTopic> clusters = clusters(o);
        return new ReplayerConfig(o.string(KAFKA_BOOTSTRAP), clusters.get(0).topic(), port, Path.of(o.string(USERS_FILE)),
                serverId, o.string(BIND_ADDRESS), (int) maxPacket, o.optional(KAFKA_PROPERTIES).map(Path::of).orElse(null), dumpCache,
                flavor, httpPort, o.string(HTTP_BIND_ADDRESS), security, positive(o, MAX_CONNECTIONS),
                nonNegative(o, MAX_USER_CONNECTIONS), nonNegative(o, MAX_DUMPS), o.duration(SHUTDOWN_TIMEOUT), o.optional(ARCHIVE).orElse(null), ArchiveConfig.s3(o),
                expireSeconds(o), QueryBackendOptions.parse(o), clusters.get(0).indexTopic(), clusters);
    }

    /** --topic T (one cluster named T) or the --cluster NAME=TOPIC list. */
    static List<ClusterTopic> clusters(Options o) throws OptionException {
        if (o.has(TOPIC) == o.has(CLUSTER)) {
            throw new OptionException("give either --" + TOPIC + " T or --" + CLUSTER + " NAME=TOPIC (repeatable), not "
                    + (o.has(TOPIC) ? "both" : "neither"));
        }
        if (o.has(TOPIC)) {
            return List.of(new ClusterTopic(o.string(TOPIC), o.string(TOPIC), indexTopic(o)));
        }
        if (o.has(ARCHIVE)) {
            // One archive holds one log; an archive per cluster is not there yet.
            throw new OptionException("--" + ARCHIVE + " serves one topic: use it with --" + TOPIC + ", not --" + CLUSTER);
        }
        if (o.has(INDEX_TOPIC)) {
            throw new OptionException("--" + INDEX_TOPIC + " names one topic: with --" + CLUSTER + " each cluster's is <topic>.index");
        }
        List<ClusterTopic> clusters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (String entry : o.string(CLUSTER).split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            String name = eq < 0 ? "" : e.substring(0, eq).strip();
            String topic = eq < 0 ? "" : e.substring(eq + 1).strip();
            if (!name.matches("[A-Za-z0-9_.-]+") || topic.isEmpty()) {
                throw new OptionException("--" + CLUSTER + " must be NAME=TOPIC with NAME of letters, digits, '_', '.', '-', got '" + e + "'");
            }
            if (!names.add(name)) {
                throw new OptionException("--" + CLUSTER + " " + name + " given twice");
            }
            if (!topics.add(topic)) {
                throw new OptionException("--" + CLUSTER + ": topic " + topic + " given to two clusters");
            }
            clusters.add(new ClusterTopic(name, topic, o.flag(NO_INDEX_SNAPSHOT) ? null : topic + ".index"));
        }
        return List.copyOf(clusters);
    }

    /** The side topic of index snapshots; null with --no-index-snapshot (the archiver's options too). */
    public static String indexTopic(Options o) throws OptionException {
        if (o.flag(NO_INDEX_SNAPSHOT)) {
            if (o.has(INDEX_TOPIC)) {
                throw new OptionException("--" + INDEX_TOPIC + " and --" + NO_INDEX_SNAPSHOT + " contradict each other");
            }
            return null;
        }
        String topic = o.optional(INDEX_TOPIC).orElse(o.string(TOPIC) + ".index");
        if (topic.equals(o.string(TOPIC))) {
            throw new OptionException("--" + INDEX_TOPIC + " must not be the binlog topic itself");
        }
        return topic;
    }

    private static long expireSeconds(Options o) throws OptionException {
        long seconds = o.longValue(BINLOG_EXPIRE_LOGS_SECONDS);
        if (seconds < 0 || seconds > 4294967295L) {
            // MySQL's range for binlog_expire_logs_seconds.
            throw new OptionException("--" + BINLOG_EXPIRE_LOGS_SECONDS + " must be 0..4294967295, got " + seconds);
        }
        return seconds;
    }

    private static int positive(Options o, String name) throws OptionException {
        int value = o.integer(name);
        if (value < 1) {
            throw new OptionException("--" + name + " must be at least 1, got " + value);
        }
        return value;
    }

    private static int nonNegative(Options o, String name) throws OptionException {
        int value = o.integer(name);
        if (value < 0) {
            throw new OptionException("--" + name + " must not be negative, got " + value);
        }
        return value;
    }
}
