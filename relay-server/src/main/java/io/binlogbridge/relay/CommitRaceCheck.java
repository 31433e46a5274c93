package io.binlogbridge.relay;

import io.binlogbridge.core.relay.TopicTail;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Kafka 4.3's coordinator race from a takeover. Under load the coordinator sometimes answers the relay's
 * commit with INVALID_TXN_STATE although no other producer is involved (its log says "state is COMPLETE_COMMIT, but
 * received transaction marker result to send: COMMIT"), which is also one of the ways a fence by another relay
 * reaches the producer. A race is proven when both hold:
 * <ul>
 * <li>the coordinator's last transaction for our transactional id committed: a newcomer's initTransactions leaves
 *     it EMPTY, or aborts our open transaction (COMPLETE_ABORT), and it commits only once the newcomer wrote;</li>
 * <li>the topic's last committed record is at or before the last one our producer appended: every record of a
 *     newcomer comes after the fence that stopped our appends.</li>
 * </ul>
 * Then nobody took over, and the session restarts from the topic instead of stopping the relay. A relay that
 * took over always writes a committed record past ours before its commit could be mistaken for ours, so two
 * relays can never take turns.
 */
final class CommitRaceCheck {
    private static final Logger log = LoggerFactory.getLogger(CommitRaceCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private CommitRaceCheck() {}

    /** INVALID_TXN_STATE, and no error in the chain that only a fence gives. */
    static boolean invalidTxnStateOnly(Throwable e) {
        boolean invalidState = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            invalidState |= c instanceof InvalidTxnStateException;
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException) {
                return false;
            }
        }
        return invalidState;
    }

    /**
     * @param topicLastCommitted the offset of the topic's last committed record, empty for none
     * @param lastAppended the offset of the last record our producer appended, -1 for none
     */
    static boolean nobodyTookOver(TransactionState coordinatorState, OptionalLong topicLastCommitted, long lastAppended) {
        return coordinatorState == TransactionState.COMPLETE_COMMIT && lastAppended >= 0 && topicLastCommitted.isPresent()
                && topicLastCommitted.getAsLong() <= lastAppended;
    }

    /**
     * Asks Kafka whether {@code e} is the coordinator's race; false when it cannot tell (the relay then stops as
     * fenced, which loses nothing).
     */
    static boolean isRace(RelaySettings settings, Throwable e, long lastAppended) {
        if (!invalidTxnStateOnly(e)) {
            return false;
        }
        Admin admin = Admin.create(settings.kafkaClient());
        try {
            TransactionDescription txn = admin.describeTransactions(List.of(settings.transactionalId()))
                    .description(settings.transactionalId()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (txn.state() != TransactionState.COMPLETE_COMMIT) {
                // No need to read the topic: a newcomer has fenced us, or the coordinator aborted our transaction.
                log.info("INVALID_TXN_STATE from Kafka: transactional id {} is {} (producer epoch {}): taken for a fence",
                        settings.transactionalId(), txn.state(), txn.producerEpoch());
                return false;
            }
            OptionalLong topicLast = TopicTail.lastRecordOffset(settings.kafkaClient(), settings.topic(), TIMEOUT);
            if (!nobodyTookOver(txn.state(), topicLast, lastAppended)) {
                log.info("INVALID_TXN_STATE from Kafka: transactional id {} committed last (producer epoch {}), but topic {}'s last"
                        + " committed record is at {} and this relay's last appended at {}: taken for a fence",
                        settings.transactionalId(), txn.producerEpoch(), settings.topic(),
                        topicLast.isPresent() ? topicLast.getAsLong() : "none", lastAppended);
                return false;
            }
            log.warn("Kafka reported an invalid transaction state although transactional id {} has just committed (producer"
                    + " epoch {}) and topic {}'s last committed record (offset {}) is this relay's own: no other relay took over,"
                    + " restarting from it", settings.transactionalId(), txn.producerEpoch(), settings.topic(), topicLast.getAsLong());
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException unknown) {
            log.warn("INVALID_TXN_STATE from Kafka, and asking Kafka whether another relay took over failed: {}", unknown.toString());
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
