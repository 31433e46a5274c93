package io.binlogbridge.connect;

import io.binlogbridge.core.protocol.tls.ClientTlsOptions;
import io.binlogbridge.core.relay.BrokerTransactionLimit;
import io.binlogbridge.core.replica.SourceCertificateException;
import io.binlogbridge.core.replica.SourceException;
import io.binlogbridge.core.replica.SourceSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Relays one MySQL or MariaDB source's binlog into one topic, as relay-server does: one task per
 * source (a binlog is a single ordered stream). {@link #validate} checks the source and the topic so a
 * bad config is refused with the same messages relay-server prints.
 */
public final class BinlogSourceConnector extends SourceConnector {
    static final String TRANSACTION_BOUNDARY = "transaction.boundary";
    static final String ERRORS_TOLERANCE = "errors.tolerance";

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        BinlogSourceConfig config = new BinlogSourceConfig(props);
        config.start();
        config.sourceTls();
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return BinlogSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return BinlogSourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigValue v : result.configValues()) {
            values.put(v.name(), v);
        }
        String boundary = connectorConfigs.get(TRANSACTION_BOUNDARY);
        if (boundary != null && !"connector".equalsIgnoreCase(boundary.trim())) {
            error(values, TRANSACTION_BOUNDARY, "transaction.boundary must be 'connector': only the connector knows where a MySQL "
                    + "transaction ends, and a Kafka transaction must never split one");
        }
        if ("all".equalsIgnoreCase(String.valueOf(connectorConfigs.get(ERRORS_TOLERANCE)).trim())) {
            error(values, ERRORS_TOLERANCE, "errors.tolerance=all would let Connect drop binlog records it fails to write: "
                    + "the log would have holes; use none");
        }
        boolean basicsOk = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!basicsOk) {
            return new Config(new ArrayList<>(values.values()));
        }
        BinlogSourceConfig config;
        try {
            config = new BinlogSourceConfig(connectorConfigs);
            config.start();
        } catch (ConfigException e) {
            error(values, BinlogSourceConfig.START, e.getMessage());
            return new Config(new ArrayList<>(values.values()));
        }
        try {
            config.checkedSourceTls();
        } catch (ClientTlsOptions.InvalidOption e) {
            error(values, e.option(), e.getMessage());
            return new Config(new ArrayList<>(values.values()));
        }
        checkSource(config, values);
        checkTopic(config, values);
        return new Config(new ArrayList<>(values.values()));
    }

    /** Logs in, registers as a replica and lists the binlogs: what the task needs from the source. */
    private static void checkSource(BinlogSourceConfig config, Map<String, ConfigValue> values) {
        try (SourceSession session = SourceSession.open(config.source())) {
            session.binaryLogs();
            if (!"ROW".equalsIgnoreCase(session.binlogFormat())) {
                error(values, BinlogSourceConfig.SOURCE_HOST, "source " + config.sourceAddress() + " has binlog_format="
                        + session.binlogFormat() + ": set binlog_format=ROW (CDC clients and replicas of the log need row events)");
            }
        } catch (SourceException e) {
            String message = e.getMessage();
            String key = e instanceof SourceCertificateException ? BinlogSourceConfig.SOURCE_SSL_CA
                    : message != null && message.contains("Access denied") && !message.contains("REPLICATION")
                    ? BinlogSourceConfig.SOURCE_PASSWORD
                    : message != null && message.contains("REPLICATION") ? BinlogSourceConfig.SOURCE_USER
                    : BinlogSourceConfig.SOURCE_HOST;
            error(values, key, message);
        }
    }

    /**
     * An existing topic must have exactly one partition (a missing one is created by the task); the producer's
     * transaction timeout must be one the brokers accept, or the worker's producer fails to start.
     */
    private static void checkTopic(BinlogSourceConfig config, Map<String, ConfigValue> values) {
        Properties p = config.kafkaClient();
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        Admin admin = Admin.create(p);
        try {
            checkTransactionTimeout(admin, config, values);
            TopicDescription d = admin.describeTopics(List.of(config.topic())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(config.topic());
            int partitions = d.partitions().size();
            if (partitions != 1) {
                error(values, BinlogSourceConfig.TOPIC, "topic " + config.topic() + " has " + partitions
                        + " partitions; a binlog topic must have exactly 1 to keep the log in order");
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                error(values, BinlogSourceConfig.KAFKA_BOOTSTRAP, "cannot describe topic " + config.topic() + " at "
                        + p.getProperty("bootstrap.servers") + ": " + e.getCause());
            }
        } catch (TimeoutException e) {
            error(values, BinlogSourceConfig.KAFKA_BOOTSTRAP, "cannot reach Kafka at " + p.getProperty("bootstrap.servers") + " within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static void checkTransactionTimeout(Admin admin, BinlogSourceConfig config, Map<String, ConfigValue> values)
            throws InterruptedException {
        Integer wanted = config.getInt(BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS);
        if (wanted == null) {
            return;
        }
        Duration max;
        try {
            max = BrokerTransactionLimit.read(admin, admin.describeCluster().nodes().get(10, TimeUnit.SECONDS), 10_000);
        } catch (ExecutionException | TimeoutException e) {
            return; // the brokers would not say; the worker's producer will, when it starts
        }
        if (wanted > max.toMillis()) {
            error(values, BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS, BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS + "="
                    + wanted + " is more than the brokers allow (" + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG + "=" + max.toMillis()
                    + "): lower it, or raise " + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG + " on the brokers");
        }
    }

    private static void error(Map<String, ConfigValue> values, String key, String message) {
        ConfigValue v = values.get(key);
        if (v == null) {
            // Worker-level keys (transaction.boundary, errors.tolerance) are not in this ConfigDef; the
            // worker merges them into the same result by name.
            v = new ConfigValue(key);
            values.put(key, v);
        }
        v.addErrorMessage(message);
    }
}
