package io.binlogbridge.core.relay;

import java.time.Duration;

/**
 * A MySQL transaction could not be written within the Kafka transaction timeout: the transaction
 * coordinator aborts a Kafka transaction open longer than that, and writing the same transaction again
 * would take as long. The message is one line naming the transaction, its size and the setting to raise.
 */
public class TransactionTimeoutException extends RuntimeException {
    private final OpenKafkaTransaction.Largest transaction;

    /**
     * @param brokerMax the brokers' {@code transaction.max.timeout.ms}, or null when unknown
     * @param setting how the user raises the timeout (an option or a config key)
     */
    public TransactionTimeoutException(OpenKafkaTransaction.Largest transaction, Duration openFor, Duration timeout,
            Duration brokerMax, String setting, Throwable cause) {
        super(message(transaction, openFor, timeout, brokerMax, setting), cause);
        this.transaction = transaction;
    }

    /** The MySQL transaction that did not fit, or null when the Kafka transaction held none (only headers). */
    public OpenKafkaTransaction.Largest transaction() {
        return transaction;
    }

    static String message(OpenKafkaTransaction.Largest txn, Duration openFor, Duration timeout, Duration brokerMax, String setting) {
        String what = txn == null ? "a Kafka transaction" : "transaction " + txn.name() + ", " + txn.size() + ",";
        String limit = brokerMax == null ? "at most the brokers' " + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG
                : "the brokers allow up to " + Durations.format(brokerMax) + ", " + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG;
        return what + " could not be written to Kafka within the transaction timeout of " + Durations.format(timeout)
                + " (its Kafka transaction was open " + Durations.format(openFor) + "); raise " + setting + " (" + limit + ")";
    }
}
