package io.binlogbridge.relay;

import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.StartPosition;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything a {@link Relay} needs, already validated.
 *
 * @param kafkaClient properties shared by the producer, the tail reader and the admin client
 *     (bootstrap servers, security)
 * @param transactionalId the relay's identity on the topic: a second relay with the same id fences this one
 * @param maxCommitDelay longest a Kafka transaction stays open while MySQL transactions keep coming
 * @param maxCommitBytes largest Kafka transaction, in record bytes, before a commit
 * @param queueBytes bytes of records read from the source but not yet handed to the producer
 * @param startupTimeout how long the first contact with Kafka and the source may take before the relay gives up
 * @param transactionTimeout the producer's transaction timeout; empty: the brokers' {@code transaction.max.timeout.ms}
 */
public record RelaySettings(
        SourceConfig source,
        String topic,
        Properties kafkaClient,
        StartPosition start,
        String transactionalId,
        boolean allowUnsafeTopic,
        Duration maxCommitDelay,
        long maxCommitBytes,
        int queueBytes,
        Duration startupTimeout,
        Optional<Duration> transactionTimeout) {}
