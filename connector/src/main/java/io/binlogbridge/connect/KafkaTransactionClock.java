package io.binlogbridge.connect;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.relay.OpenKafkaTransaction;
import io.binlogbridge.core.relay.TransactionTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long the worker's Kafka transaction has been open, as the task can see it (exactly-once only). The worker's
 * producer owns the transaction: it begins with the first record {@code poll()} hands out after a commit, and ends
 * when Connect has committed it and calls {@code SourceTask.commit()}. Records handed out after the commit point of
 * a batch belong to the next transaction, which starts once that commit is done; the one that a big MySQL
 * transaction keeps open across polls is what this clock is for. The transaction coordinator aborts a transaction
 * open longer than the producer's transaction timeout: past it, the task fails naming the MySQL transaction
 * rather than writing on into an aborted one.
 *
 * <p>Connect calls poll and commit on the task's thread, stop on another: hence the volatile fields.
 */
final class KafkaTransactionClock {
    private final Duration timeout;
    private final String setting;
    private final OpenKafkaTransaction open = new OpenKafkaTransaction();
    private volatile boolean active;
    /** Connect has been asked to commit and has not said it did. */
    private volatile boolean commitRequested;
    /** Records were handed out after the commit point: the next transaction starts when the commit is done. */
    private volatile boolean nextStarted;

    /**
     * @param timeout the producer's transaction timeout
     * @param setting the key that sets it, for the message
     */
    KafkaTransactionClock(Duration timeout, String setting) {
        this.timeout = timeout;
        this.setting = setting;
    }

    /**
     * A batch {@code poll()} returns; {@code commitIndex} is the record Connect is asked to commit after, or -1.
     */
    void handedOut(List<OutgoingRecord> batch, int commitIndex, long nanos) {
        for (int i = 0; i < batch.size(); i++) {
            if (commitRequested) {
                // Same MySQL transaction or not, the clock of the next Kafka transaction starts at the commit;
                // later polls add its records (a transaction's size comes from its positions, not from a sum).
                nextStarted = true;
                return;
            }
            if (!active) {
                open.begin(nanos);
                active = true;
            }
            open.add(batch.get(i));
            if (i == commitIndex) {
                commitRequested = true;
            }
        }
    }

    /** Connect committed the Kafka transaction ({@code SourceTask.commit()}). */
    void committed(long nanos) {
        if (!commitRequested) {
            return;
        }
        open.end();
        active = false;
        commitRequested = false;
        if (nextStarted) {
            open.begin(nanos);
            active = true;
            nextStarted = false;
        }
    }

    /** The error to fail the task with when the open Kafka transaction is older than the timeout. */
    Optional<TransactionTimeoutException> expired(long nanos) {
        Duration openFor = open.openFor(nanos);
        if (!active || openFor.compareTo(timeout) < 0) {
            return Optional.empty();
        }
        return Optional.of(new TransactionTimeoutException(open.largest(), openFor, timeout, null, setting, null));
    }
}
