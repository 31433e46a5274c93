package io.binlogbridge.core.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The longest transaction timeout the brokers accept ({@code transaction.max.timeout.ms}): a producer
 * asking for more fails in {@code initTransactions} (INVALID_TRANSACTION_TIMEOUT). Shared by relay-server,
 * which makes it its default, and the connector, which checks the worker producer's override against it.
 */
public final class BrokerTransactionLimit {
    /** The broker setting, by its Kafka name. */
    public static final String MAX_TIMEOUT_CONFIG = "transaction.max.timeout.ms";
    /** Kafka's default for {@link #MAX_TIMEOUT_CONFIG}: 15 minutes. */
    public static final Duration KAFKA_DEFAULT_MAX = Duration.ofMinutes(15);
    /** Kafka's default producer {@code transaction.timeout.ms}: accepted by any broker left at its defaults. */
    public static final Duration PRODUCER_DEFAULT = Duration.ofMinutes(1);

    private BrokerTransactionLimit() {}

    /**
     * The smallest {@code transaction.max.timeout.ms} among {@code brokers} (the coordinator of a transactional
     * id can be any of them).
     *
     * @throws ExecutionException when Kafka refuses (e.g. no DescribeConfigs permission on the cluster)
     */
    public static Duration read(Admin admin, Collection<Node> brokers, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<ConfigResource> resources = new ArrayList<>();
        for (Node node : brokers) {
            resources.add(new ConfigResource(ConfigResource.Type.BROKER, node.idString()));
        }
        if (resources.isEmpty()) {
            throw new ExecutionException("no broker to ask", null);
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Optional<Duration> smallest = Optional.empty();
        for (Config config : configs.values()) {
            ConfigEntry entry = config.get(MAX_TIMEOUT_CONFIG);
            Duration max = entry == null || entry.value() == null ? KAFKA_DEFAULT_MAX : Duration.ofMillis(Long.parseLong(entry.value()));
            if (smallest.isEmpty() || max.compareTo(smallest.get()) < 0) {
                smallest = Optional.of(max);
            }
        }
        return smallest.orElse(KAFKA_DEFAULT_MAX);
    }
}
