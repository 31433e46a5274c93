package io.binlogbridge.connect;

import io.binlogbridge.core.protocol.tls.ClientTls;
import io.binlogbridge.core.protocol.tls.ClientTlsOptions;
import io.binlogbridge.core.protocol.tls.SslMode;
import io.binlogbridge.core.relay.BrokerTransactionLimit;
import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.StartPosition;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The connector's options: the same ones relay-server takes on its command line, in Connect's form. */
public final class BinlogSourceConfig extends AbstractConfig {
    public static final String SOURCE_HOST = "source.host";
    public static final String SOURCE_PORT = "source.port";
    public static final String SOURCE_USER = "source.user";
    public static final String SOURCE_PASSWORD = "source.password";
    public static final String SOURCE_SSL_MODE = "source.ssl.mode";
    public static final String SOURCE_SSL_CA = "source.ssl.ca";
    public static final String SERVER_ID = "server.id";
    public static final String TOPIC = "topic";
    public static final String START = "start";
    public static final String HEARTBEAT_PERIOD_MS = "heartbeat.period.ms";
    public static final String CHUNK_SIZE_BYTES = "chunk.size.bytes";
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String TOPIC_ALLOW_UNSAFE = "topic.allow.unsafe";
    public static final String QUEUE_MAX_BYTES = "queue.max.bytes";
    public static final String POLL_MAX_BYTES = "poll.max.bytes";
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
    /**
     * Connect's own per-connector override of the worker producer's {@code transaction.timeout.ms}: the worker
     * configures the producer from it, and the task reads the same key to know the bound.
     */
    public static final String PRODUCER_TRANSACTION_TIMEOUT_MS = "producer.override.transaction.timeout.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SOURCE_HOST, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Host name or address of the MySQL or MariaDB source whose binlog is relayed.")
            .define(SOURCE_PORT, Type.INT, 3306, ConfigDef.Range.between(1, 65535), Importance.HIGH,
                    "Port of the source.")
            .define(SOURCE_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "User the connector logs in as; it needs REPLICATION SLAVE and REPLICATION CLIENT.")
            .define(SOURCE_PASSWORD, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Password of source.user. A PASSWORD option: Connect hides it in its REST answers and logs "
                            + "(use a config provider to keep it out of the connector config altogether).")
            .define(SOURCE_SSL_MODE, Type.STRING, SslMode.DISABLED.name(), BinlogSourceConfig::sslMode, Importance.MEDIUM,
                    "TLS to the source, as MySQL's --ssl-mode and relay-server's --source-ssl-mode: DISABLED, PREFERRED (TLS if "
                            + "offered, certificate not checked), REQUIRED (TLS or fail, certificate not checked), VERIFY_CA "
                            + "(certificate chained to source.ssl.ca), VERIFY_IDENTITY (and naming source.host). Over TLS, "
                            + "caching_sha2_password users pass full authentication without the source's RSA key. A certificate "
                            + "the mode refuses fails the task (and validation) instead of being retried.")
            .define(SOURCE_SSL_CA, Type.STRING, null, Importance.MEDIUM,
                    "PEM file, on every worker, of the CA that signed the source's certificate (MySQL's SOURCE_SSL_CA); "
                            + "needed by VERIFY_CA and VERIFY_IDENTITY.")
            .define(SERVER_ID, Type.INT, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.between(1, Integer.MAX_VALUE), Importance.HIGH,
                    "Server id the connector registers with on the source, as a replica; unique among the source's replicas "
                            + "and different from the source's own.")
            .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "The binlog topic: created with 1 partition, cleanup.policy=compact,delete and infinite retention when "
                            + "missing; an existing topic must have exactly 1 partition. The topic is also the checkpoint: a "
                            + "task resumes right after its last committed record.")
            .define(START, Type.STRING, "earliest", Importance.MEDIUM,
                    "Where to start when the topic is empty: earliest (oldest binlog the source has), latest, file:NAME:POS "
                            + "or gtid:SET. Ignored once the topic holds records: the task resumes after the last one; but when the source "
                            + "is another server than the one the log came from and either has no GTIDs, file:NAME:POS names where "
                            + "the new term starts on it.")
            .define(HEARTBEAT_PERIOD_MS, Type.LONG, 2000L, ConfigDef.Range.between(100, 3_600_000), Importance.LOW,
                    "Heartbeat period asked of the source, in milliseconds; a source silent for two periods is presumed "
                            + "dead and the task reconnects.")
            .define(CHUNK_SIZE_BYTES, Type.INT, 256 << 10, ConfigDef.Range.between(1024, 256 << 20), Importance.LOW,
                    "Largest event payload of one record; bigger transactions are split into chunks that Connect writes in "
                            + "one Kafka transaction. The worker's producer must accept records this big plus 64 KiB "
                            + "(producer.max.request.size, or producer.override.max.request.size). Do not change it while "
                            + "a topic is being written.")
            .define(KAFKA_BOOTSTRAP, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Bootstrap servers of the cluster holding the topic (normally the worker's own). Connect gives source "
                            + "tasks no consumer or admin client: the task uses these to create or check the topic and to "
                            + "read its last committed record on start. Any other kafka.* option is passed to those clients "
                            + "without the prefix (e.g. kafka.security.protocol, kafka.sasl.jaas.config).")
            .define(TOPIC_ALLOW_UNSAFE, Type.BOOLEAN, false, Importance.LOW,
                    "Accept an existing topic that deletes records by age or size (binlog history would be lost).")
            .define(QUEUE_MAX_BYTES, Type.LONG, 64L << 20, ConfigDef.Range.between(1 << 20, Integer.MAX_VALUE), Importance.LOW,
                    "Bytes of records read from the source and not yet handed to Connect; reading pauses when full.")
            .define(POLL_MAX_BYTES, Type.LONG, 8L << 20, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Largest batch one poll() returns. With exactly-once, a Connect transaction ends at the last whole "
                            + "MySQL transaction of a batch, so this bounds how many small transactions are grouped.")
            .define(STARTUP_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1000), Importance.LOW,
                    "How long setting up the topic and reading its last record may take at task start.")
            .define(PRODUCER_TRANSACTION_TIMEOUT_MS, Type.INT, null, BinlogSourceConfig::atLeastOneSecond, Importance.MEDIUM,
                    "With exactly-once: the transaction timeout of the worker's producer for this connector, in milliseconds "
                            + "(Connect's client override of transaction.timeout.ms; the worker's "
                            + "connector.client.config.override.policy must allow it, as its default All does). All chunks of "
                            + "a MySQL transaction go in one Kafka transaction, which the coordinator aborts when it is open "
                            + "longer, so this is the longest the task may take to write one MySQL transaction; past it the "
                            + "task fails naming the transaction and this key. At 130-180 MB/s, 60000 fits 8-10 GB and "
                            + "900000 (the brokers' default transaction.max.timeout.ms, which validation checks it against) "
                            + "115-160 GB. Unset: the task assumes Kafka's default 60000; set it whenever the worker sets "
                            + "producer.transaction.timeout.ms. A worker killed with a transaction open delays its task's "
                            + "restart by up to this long.");

    public BinlogSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    public String topic() {
        return getString(TOPIC);
    }

    public String sourceAddress() {
        return getString(SOURCE_HOST) + ":" + getInt(SOURCE_PORT);
    }

    public SourceConfig source() {
        return new SourceConfig(getString(SOURCE_HOST), getInt(SOURCE_PORT), getString(SOURCE_USER),
                getPassword(SOURCE_PASSWORD).value(), getInt(SERVER_ID), Duration.ofMillis(getLong(HEARTBEAT_PERIOD_MS)),
                Duration.ofSeconds(10), getInt(CHUNK_SIZE_BYTES)).withTls(sourceTls());
    }

    /** {@link #SOURCE_SSL_MODE} and {@link #SOURCE_SSL_CA}, checked together as relay-server checks its options. */
    public ClientTls sourceTls() {
        try {
            return checkedSourceTls();
        } catch (ClientTlsOptions.InvalidOption e) {
            throw new ConfigException(e.option(), getString(e.option()), e.getMessage());
        }
    }

    /** As {@link #sourceTls()}, with the key to change in {@link ClientTlsOptions.InvalidOption#option()}. */
    ClientTls checkedSourceTls() {
        return ClientTlsOptions.parse(SOURCE_SSL_MODE, getString(SOURCE_SSL_MODE), SOURCE_SSL_CA, getString(SOURCE_SSL_CA));
    }

    private static void sslMode(String name, Object value) {
        try {
            SslMode.parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    public StartPosition start() {
        try {
            return StartPosition.parse(getString(START));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(START, getString(START), e.getMessage().replace("--start", START));
        }
    }

    private static void atLeastOneSecond(String name, Object value) {
        if (value != null && (Integer) value < 1000) {
            throw new ConfigException(name, value, "must be at least 1000 (1 s)");
        }
    }

    /** The worker producer's transaction timeout: {@link #PRODUCER_TRANSACTION_TIMEOUT_MS}, else Kafka's default. */
    public Duration transactionTimeout() {
        Integer ms = getInt(PRODUCER_TRANSACTION_TIMEOUT_MS);
        return ms == null ? BrokerTransactionLimit.PRODUCER_DEFAULT : Duration.ofMillis(ms);
    }

    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS));
    }

    /** Client properties for the task's admin client and tail reader: kafka.* without the prefix. */
    public Properties kafkaClient() {
        return kafkaClient(originalsStrings());
    }

    static Properties kafkaClient(Map<String, String> props) {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX) && e.getValue() != null) {
                p.put(e.getKey().substring(KAFKA_PREFIX.length()), e.getValue());
            }
        }
        return p;
    }
}
