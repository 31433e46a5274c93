package io.binlogbridge.relay;

import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.core.config.OptionType;
import io.binlogbridge.core.http.HttpOptions;
import io.binlogbridge.server.security.SecurityOptions;

/** Every relay-server option, declared once: parsing, environment, config files and --help come from here. */
final class RelayOptions {
    static final String SOURCE_HOST = "source-host";
    static final String SOURCE_PORT = "source-port";
    static final String SOURCE_USER = "source-user";
    static final String SOURCE_PASSWORD_FILE = "source-password-file";
    static final String SOURCE_SSL_MODE = "source-ssl-mode";
    static final String SOURCE_SSL_CA = "source-ssl-ca";
    static final String SERVER_ID = "server-id";
    static final String TOPIC = "topic";
    static final String KAFKA_BOOTSTRAP = "kafka-bootstrap";
    static final String KAFKA_PROPERTIES = "kafka-properties";
    static final String DATA_DIR = "data-dir";
    static final String EMBEDDED_KAFKA_PORT = "embedded-kafka-port";
    static final String HTTP_PORT = HttpOptions.PORT;
    static final String HTTP_BIND_ADDRESS = HttpOptions.BIND_ADDRESS;
    static final String PROGRESS_INTERVAL = "progress-interval";
    static final String START = "start";
    static final String SEMI_SYNC = "semi-sync";
    static final String HEARTBEAT_PERIOD = "heartbeat-period";
    static final String CHUNK_SIZE = "chunk-size";
    static final String MAX_COMMIT_DELAY = "max-commit-delay";
    static final String MAX_COMMIT_BYTES = "max-commit-bytes";
    static final String QUEUE_SIZE = "queue-size";
    static final String TRANSACTIONAL_ID = "transactional-id";
    static final String ALLOW_UNSAFE_TOPIC = "allow-unsafe-topic";
    static final String STARTUP_TIMEOUT = "startup-timeout";
    static final String TRANSACTION_TIMEOUT = "transaction-timeout";
    static final String ADMIN_PORT = "admin-port";
    static final String ADMIN_BIND_ADDRESS = "admin-bind-address";
    static final String USERS_FILE = "users-file";

    private RelayOptions() {}

    /** The admin port's TLS and RSA key options: the replayer's, prefixed with admin- (--tls-* would read as TLS to the source). */
    static final SecurityOptions ADMIN_SECURITY = SecurityOptions.RELAY_ADMIN_PORT;

    static OptionSet definitions() {
        return ADMIN_SECURITY.declare(new OptionSet("java -jar relay-server.jar",
                "Reads a MySQL or MariaDB source's binary log as a replica and writes its events, byte for byte,\n"
                        + "into one ordered Kafka topic, exactly once. Resumes from the topic after any stop.")
                .required(SOURCE_HOST, OptionType.STRING, "Source MySQL/MariaDB host.")
                .withDefault(SOURCE_PORT, OptionType.INT, "3306", "Source port.")
                .required(SOURCE_USER, OptionType.STRING, "User with REPLICATION SLAVE and REPLICATION CLIENT on the source.")
                .optional(SOURCE_PASSWORD_FILE, OptionType.STRING, "File holding the source user's password (one line). Without it the password is empty.")
                .withDefault(SOURCE_SSL_MODE, OptionType.STRING, "DISABLED", "TLS to the source, as MySQL's --ssl-mode: DISABLED, PREFERRED (TLS if offered,"
                        + " certificate not checked), REQUIRED (TLS or fail, certificate not checked), VERIFY_CA (certificate chained to"
                        + " --source-ssl-ca), VERIFY_IDENTITY (and naming --source-host). Over TLS, caching_sha2_password users pass full"
                        + " authentication without the source's RSA key.")
                .optional(SOURCE_SSL_CA, OptionType.STRING, "PEM file of the CA that signed the source's certificate (SOURCE_SSL_CA); needed by VERIFY_CA and VERIFY_IDENTITY.")
                .required(SERVER_ID, OptionType.INT, "Server id the relay registers with on the source; must differ from every other replica's.")
                .required(TOPIC, OptionType.STRING, "Kafka topic of this source's binlog (created with 1 partition, compact,delete, infinite retention if missing).")
                .optional(KAFKA_BOOTSTRAP, OptionType.STRING, "Kafka bootstrap servers. Without it the relay runs a single-node Kafka broker in its own process (see --data-dir, --embedded-kafka-port).")
                .optional(KAFKA_PROPERTIES, OptionType.STRING, "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...).")
                .withDefault(DATA_DIR, OptionType.STRING, "data", "Directory of the embedded Kafka broker's log (only without --kafka-bootstrap).")
                .withDefault(EMBEDDED_KAFKA_PORT, OptionType.INT, "9092", "Port of the embedded Kafka broker on 127.0.0.1 (only without --kafka-bootstrap).")
                .optional(HTTP_PORT, OptionType.INT, HttpOptions.PORT_DOC + " Ready: streaming from the source with Kafka committing what was read.")
                .withDefault(HTTP_BIND_ADDRESS, OptionType.STRING, HttpOptions.DEFAULT_BIND_ADDRESS, HttpOptions.BIND_ADDRESS_DOC)
                .optional(ADMIN_PORT, OptionType.INT, "Port of the MySQL-protocol admin port (off without it): STOP REPLICA, CHANGE"
                        + " REPLICATION SOURCE TO, START REPLICA and SHOW REPLICA STATUS (and their SLAVE/MASTER spellings) re-point"
                        + " the relay at another source without a restart. With it, a relay that fails or refuses its source keeps"
                        + " running, stopped, with the error in SHOW REPLICA STATUS. Needs --users-file. TLS and the RSA key pair"
                        + " with the --admin-tls-* and --admin-rsa-* options below (the replayer's, prefixed).")
                .withDefault(ADMIN_BIND_ADDRESS, OptionType.STRING, "127.0.0.1", "Address the admin port listens on (0.0.0.0 for all).")
                .optional(USERS_FILE, OptionType.STRING, "Users of the admin port, in the replayer's format: name:secret[:privileges] per line"
                        + " (secret a MySQL hash from replayer.jar user add, or plaintext with a warning; # comments). STOP, CHANGE and START"
                        + " REPLICA need the admin privilege, SHOW REPLICA STATUS monitor or admin. Re-read when it changes."))
                .withDefault(PROGRESS_INTERVAL, OptionType.DURATION, "30s", "Period of the INFO progress line while the relay streams"
                        + " from the source: MB committed to Kafka since the last line, MB/s, seconds behind the source. Each new binlog"
                        + " file (rotate) and each new term gets a line of its own. 0 turns the periodic line off.")
                .withDefault(START, OptionType.STRING, "earliest", "Where to start when the topic is empty: earliest (oldest binlog the source has), latest, file:NAME:POS or gtid:SET. Ignored once the topic holds records: the relay resumes after the last one; but when the source is another server than the one the log came from and either has no GTIDs, file:NAME:POS names where the new term starts on it.")
                .flag(SEMI_SYNC, "Act as a semi-synchronous replica: acknowledge each transaction to the source only once the Kafka transaction holding it has committed, so a source failover loses nothing the source acknowledged to its clients. A source without semi-sync enabled is read asynchronously, with a warning.")
                .withDefault(HEARTBEAT_PERIOD, OptionType.DURATION, "2s", "Heartbeat period asked of the source; a source silent for two periods is presumed dead and the relay reconnects.")
                .withDefault(CHUNK_SIZE, OptionType.BYTES, "256k", "Largest event payload of one record; bigger transactions are split into chunks written in one Kafka transaction.")
                .withDefault(MAX_COMMIT_DELAY, OptionType.DURATION, "10ms", "Longest a Kafka transaction stays open while MySQL transactions keep arriving (group commit). When the source pauses, the relay commits at once.")
                .withDefault(MAX_COMMIT_BYTES, OptionType.BYTES, "8m", "Largest Kafka transaction, in record bytes, before a commit (group commit).")
                .withDefault(QUEUE_SIZE, OptionType.BYTES, "8m", "Bytes of records read from the source and waiting for the Kafka producer (which buffers 32 MiB more); bounds the relay's memory. Larger only costs garbage collection in a catch-up.")
                .optional(TRANSACTIONAL_ID, OptionType.STRING, "Kafka transactional id: the relay's identity on the topic. A second relay with the same id fences the first. Default: binlog-bridge-relay-<topic>.")
                .flag(ALLOW_UNSAFE_TOPIC, "Accept an existing topic whose retention.ms/retention.bytes would delete binlog history.")
                .withDefault(STARTUP_TIMEOUT, OptionType.DURATION, "30s", "How long the first contact with Kafka may take before the relay gives up.")
                .optional(TRANSACTION_TIMEOUT, OptionType.DURATION, "Kafka transaction timeout (the producer's transaction.timeout.ms): the longest the"
                        + " relay may take to write one MySQL transaction, all its chunks in one Kafka transaction. The transaction coordinator"
                        + " aborts a transaction open longer, and the relay then stops, naming the transaction. At the 130-180 MB/s the relay"
                        + " writes on the benchmark machine, 1m fits 8-10 GB and 15m 115-160 GB. Default: the brokers' transaction.max.timeout.ms (15m unless changed), read at start;"
                        + " more than that is refused.");
    }
}
