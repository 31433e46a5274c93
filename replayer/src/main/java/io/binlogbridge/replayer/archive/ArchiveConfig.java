package io.binlogbridge.replayer.archive;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.OptionType;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.replayer.ReplayerConfig;
import io.binlogbridge.replayer.purge.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The options of {@code replayer.jar archive} ({@link #DEFINITION}) and {@code replayer.jar archive find}
 * ({@link #FIND_DEFINITION}), declared once here; {@code --help} is generated from them.
 */
public record ArchiveConfig(
        String kafkaBootstrap,
        String topic,
        String to,
        boolean once,
        Path kafkaProperties,
        ArchiveStorage.S3Settings s3,
        long partSize,
        Duration maxBackoff,
        RetentionPolicy retention,
        String indexTopic) {

    public static final String KAFKA_BOOTSTRAP = ReplayerConfig.KAFKA_BOOTSTRAP;
    public static final String TOPIC = ReplayerConfig.TOPIC;
    public static final String KAFKA_PROPERTIES = ReplayerConfig.KAFKA_PROPERTIES;
    public static final String INDEX_TOPIC = ReplayerConfig.INDEX_TOPIC;
    public static final String NO_INDEX_SNAPSHOT = ReplayerConfig.NO_INDEX_SNAPSHOT;
    public static final String TO = "to";
    public static final String ONCE = "once";
    public static final String S3_ENDPOINT = "s3-endpoint";
    public static final String S3_REGION = "s3-region";
    public static final String S3_PATH_STYLE = "s3-path-style";
    public static final String PART_SIZE = "part-size";
    public static final String MAX_BACKOFF = "max-backoff";
    public static final String GTID_SET = "gtid-set";
    public static final String UNTIL = "until";
    public static final String RETAIN_FILES = "retain-files";
    public static final String RETAIN_BYTES = "retain-bytes";
    public static final String RETAIN_TIME = "retain-time";

    private static final String TO_DOC = "The archive: a directory, or s3://BUCKET/PREFIX (credentials from the AWS SDK's default chain: "
            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance or container role).";
    /** S3's smallest part (but the last) and the largest this archiver buffers. */
    private static final long MIN_PART = 5L << 20;
    private static final long MAX_PART = 512L << 20;
    /** Storage opened only to read ({@code archive find}, the replayer's purge guard): the smallest part size, never allocated. */
    public static final long FIND_PART_SIZE = MIN_PART;
    static final DateTimeFormatter UNTIL_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public static final OptionSet DEFINITION = s3Options(new OptionSet("java -jar replayer.jar archive",
            "Copies every closed binlog file of a binlog-bridge topic, byte-identical to the source's file, to a directory or S3,\n"
                    + "with a JSON manifest per file (manifest/NAME.json) and an index of all files (index.json). A file is closed once\n"
                    + "the log holds a later one. Crash-safe: run it again after any failure, nothing complete is copied twice.\n"
                    + "'java -jar replayer.jar archive find --help': the files that roll a backup forward.")
            .required(KAFKA_BOOTSTRAP, OptionType.STRING, "Kafka bootstrap servers holding the binlog topic.")
            .required(TOPIC, OptionType.STRING, "The binlog topic to archive (written by relay-server or the connector).")
            .required(TO, OptionType.STRING, TO_DOC)
            .flag(ONCE, "Archive every file closed now, then exit (0: all archived; 1: a failure, named in one line). Without it the "
                    + "archiver runs on, archiving each file as it closes, and retries failures with backoff.")
            .optional(KAFKA_PROPERTIES, OptionType.STRING, "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...).")
            .withDefault(PART_SIZE, OptionType.BYTES, "8m", "S3 multipart upload part size (5m..512m); the upload's memory is one part.")
            .withDefault(MAX_BACKOFF, OptionType.DURATION, "60s", "Continuous mode: the longest wait between retries after a failure "
                    + "(from 1s, doubling).")
            .withDefault(RETAIN_FILES, OptionType.LONG, "0", "Retention: purge from the topic (deleteRecords, as PURGE BINARY LOGS) "
                    + "the archived files beyond the newest N, the one being written included. With --retain-bytes and --retain-time a "
                    + "file goes only when it is beyond all three. 0: no floor. Only files this archive holds complete are ever purged; "
                    + "the topic needs cleanup.policy=compact,delete (what relay-server creates).")
            .withDefault(RETAIN_BYTES, OptionType.BYTES, "0", "Retention: keep at least this many bytes of binlog files in the topic "
                    + "(e.g. 50g). 0: no floor.")
            .withDefault(RETAIN_TIME, OptionType.DURATION, "0", "Retention: keep every file written to within this time (e.g. 7d, "
                    + "as MySQL's binlog_expire_logs_seconds). 0: no floor.")
            .optional(INDEX_TOPIC, OptionType.STRING, "The compacted topic where replayers of the topic keep a snapshot of their index "
                    + "of the log (the replayer's --index-topic). The archiver restores the snapshot if it holds for the topic as it is "
                    + "(the replayer's checks) and reads only the records written after it, instead of the whole topic before copying. "
                    + "It only reads: it never writes a snapshot nor creates this topic (if missing, the whole topic is read). "
                    + "Default: <topic>.index.")
            .flag(NO_INDEX_SNAPSHOT, "Do not restore an index snapshot: read the whole topic to index it."));

    public static final OptionSet FIND_DEFINITION = s3Options(new OptionSet("java -jar replayer.jar archive find",
            "Prints the archived files (one 'NAME START_POSITION' line each, in replay order) that roll a backup forward: from the\n"
                    + "backup's GTID set (--gtid-set), up to a time (--until), or both. Reads DEST's index.json.")
            .required(TO, OptionType.STRING, TO_DOC)
            .optional(GTID_SET, OptionType.STRING, "The GTID state of the backup (MySQL gtid_executed, MariaDB gtid_slave_pos/gtid_binlog_pos): "
                    + "the files from the first one holding a transaction the backup lacks.")
            .optional(UNTIL, OptionType.STRING, "'YYYY-MM-DD HH:MM:SS' in this machine's time zone (as mysqlbinlog --stop-datetime): the files "
                    + "up to the one holding that moment."));

    /** Declares {@code --s3-endpoint}, {@code --s3-region} and {@code --s3-path-style} (the replayer's {@code --archive} takes them too). */
    public static OptionSet s3Options(OptionSet options) {
        return options
                .optional(S3_ENDPOINT, OptionType.STRING, "S3 endpoint URL of an S3-compatible store (MinIO, Ceph, S3Proxy, ...). Default: AWS.")
                .optional(S3_REGION, OptionType.STRING, "S3 region. Default: the SDK's region chain (AWS_REGION, profile); us-east-1 with --s3-endpoint.")
                .flag(S3_PATH_STYLE, "Path-style S3 URLs (endpoint/bucket/key) instead of virtual-host style; most S3-compatible stores need it.");
    }

    /** The options of {@code archive find}. */
    public record Find(String to, ArchiveStorage.S3Settings s3, String gtidSet, LocalDateTime until) {}

    public static ArchiveConfig parse(String[] args, Map<String, String> env) throws OptionException {
        Options o = DEFINITION.parse(args, env);
        long partSize = o.bytes(PART_SIZE);
        if (partSize < MIN_PART || partSize > MAX_PART) {
            throw new OptionException("--" + PART_SIZE + " must be between 5m and 512m");
        }
        Duration maxBackoff = o.duration(MAX_BACKOFF);
        if (maxBackoff.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new OptionException("--" + MAX_BACKOFF + " must be at least 1s");
        }
        return new ArchiveConfig(o.string(KAFKA_BOOTSTRAP), o.string(TOPIC), o.string(TO), o.flag(ONCE),
                o.optional(KAFKA_PROPERTIES).map(Path::of).orElse(null), s3(o), partSize, maxBackoff, retention(o),
                ReplayerConfig.indexTopic(o));
    }

    /** The --retain-* floors, or null when all are 0: retention is opt-in. */
    private static RetentionPolicy retention(Options o) throws OptionException {
        long files = o.longValue(RETAIN_FILES);
        long bytes = o.bytes(RETAIN_BYTES);
        Duration time = o.duration(RETAIN_TIME);
        if (files < 0 || bytes < 0 || time.isNegative()) {
            throw new OptionException("--" + RETAIN_FILES + ", --" + RETAIN_BYTES + " and --" + RETAIN_TIME + " are never negative");
        }
        return files == 0 && bytes == 0 && time.isZero() ? null : new RetentionPolicy(files, bytes, time);
    }

    public static Find parseFind(String[] args, Map<String, String> env) throws OptionException {
        Options o = FIND_DEFINITION.parse(args, env);
        if (!o.has(GTID_SET) && !o.has(UNTIL)) {
            throw new OptionException("archive find needs --" + GTID_SET + " or --" + UNTIL + " (or both)");
        }
        LocalDateTime until = null;
        if (o.has(UNTIL)) {
            try {
                until = LocalDateTime.parse(o.string(UNTIL), UNTIL_FORMAT);
            } catch (DateTimeParseException e) {
                throw new OptionException("--" + UNTIL + " must be 'YYYY-MM-DD HH:MM:SS', got '" + o.string(UNTIL) + "'");
            }
        }
        return new Find(o.string(TO), s3(o), o.optional(GTID_SET).orElse(null), until);
    }

    /** The S3 options {@link #s3Options} declared, as given. */
    public static ArchiveStorage.S3Settings s3(Options o) throws OptionException {
        String endpoint = o.optional(S3_ENDPOINT).orElse(null);
        if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new OptionException("--" + S3_ENDPOINT + " must be an http:// or https:// URL, got " + endpoint);
        }
        return new ArchiveStorage.S3Settings(endpoint, o.optional(S3_REGION).orElse(null), o.flag(S3_PATH_STYLE));
    }
}
