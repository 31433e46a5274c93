package io.binlogbridge.core.relay;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the binlog topic as the log contract wants it, or checks that an existing one keeps that
 * contract: one partition (a binlog is totally ordered) and no time or size retention (the log is the
 * only copy once the source purges). Shared by relay-server and the Kafka Connect task, so both write
 * to a topic set up the same way.
 */
public final class TopicGuard {
    private static final Logger log = LoggerFactory.getLogger(TopicGuard.class);

    private TopicGuard() {}

    /** Topic-level max.message.bytes for records of at most {@code chunkSize} event bytes. */
    public static int maxMessageBytes(int chunkSize) {
        return Math.max(4 << 20, chunkSize * 2 + (64 << 10));
    }

    public static void ensure(Admin admin, String topic, int chunkSize, boolean allowUnsafe, long timeoutMs)
            throws TopicSetupException, InterruptedException {
        ensure(admin, topic, chunkSize, allowUnsafe, "--allow-unsafe-topic", timeoutMs);
    }

    /**
     * Creates the topic or checks an existing one.
     *
     * @param allowUnsafeOption how messages name the setting that accepts a topic with retention
     * @throws TopicSetupException when the topic cannot be set up or breaks the log contract
     */
    public static void ensure(Admin admin, String topic, int chunkSize, boolean allowUnsafe, String allowUnsafeOption, long timeoutMs)
            throws TopicSetupException, InterruptedException {
        try {
            Set<String> names = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!names.contains(topic)) {
                create(admin, topic, chunkSize, allowUnsafeOption, timeoutMs);
                return;
            }
            check(admin, topic, chunkSize, allowUnsafe, allowUnsafeOption, timeoutMs);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicSetupException("cannot set up topic " + topic + ": " + cause, cause);
        }
    }

    private static void create(Admin admin, String topic, int chunkSize, String allowUnsafeOption, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException, TopicSetupException {
        Collection<Node> nodes = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        short replication = (short) Math.min(3, Math.max(1, nodes.size()));
        NewTopic newTopic = new NewTopic(topic, 1, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes(chunkSize)),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, replication >= 3 ? "2" : "1"));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            log.info("created topic {}: 1 partition, replication factor {}, cleanup.policy=compact,delete, infinite retention", topic, replication);
            TopicDurability.problem(topic, replication, replication >= 3 ? 2 : 1).ifPresent(log::warn);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            check(admin, topic, chunkSize, false, allowUnsafeOption, timeoutMs);
        }
    }

    private static void check(Admin admin, String topic, int chunkSize, boolean allowUnsafe, String allowUnsafeOption, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException, TopicSetupException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
        int partitions = description.partitions().size();
        if (partitions != 1) {
            throw new TopicSetupException("topic " + topic + " has " + partitions + " partitions; a binlog topic must have exactly 1 to keep the log in order");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(timeoutMs, TimeUnit.MILLISECONDS).get(resource);
        String retentionMs = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
        String retentionBytes = config.get(TopicConfig.RETENTION_BYTES_CONFIG).value();
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        boolean deletes = policy.contains(TopicConfig.CLEANUP_POLICY_DELETE);
        if (deletes && (!"-1".equals(retentionMs) || !"-1".equals(retentionBytes))) {
            String message = "topic " + topic + " deletes data by age or size (retention.ms=" + retentionMs
                    + ", retention.bytes=" + retentionBytes + "): binlog history would be lost";
            if (!allowUnsafe) {
                throw new TopicSetupException(message + "; set both to -1, or set " + allowUnsafeOption + " to accept it");
            }
            log.warn("{} (allowed by {})", message, allowUnsafeOption);
        }
        int maxMessage = Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        int needed = chunkSize + (64 << 10);
        if (maxMessage < needed) {
            throw new TopicSetupException("topic " + topic + " has max.message.bytes=" + maxMessage + ", too small for chunks of "
                    + chunkSize + " bytes; raise it to at least " + needed + " or lower the chunk size");
        }
        int replicas = description.partitions().get(0).replicas().size();
        int minInSync = Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        log.info("using topic {} (cleanup.policy={}, retention.ms={}, retention.bytes={}, replication factor {}, min.insync.replicas={})",
                topic, policy, retentionMs, retentionBytes, replicas, minInSync);
        TopicDurability.problem(topic, replicas, minInSync).ifPresent(log::warn);
    }
}
