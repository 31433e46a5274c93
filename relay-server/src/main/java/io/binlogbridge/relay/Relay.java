package io.binlogbridge.relay;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.replica.SourceException;
import io.binlogbridge.core.replica.SourceSession;
import io.binlogbridge.core.relay.BrokerTransactionLimit;
import io.binlogbridge.core.relay.Durations;
import io.binlogbridge.core.relay.LogGtidState;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.core.relay.TopicGuard;
import io.binlogbridge.core.relay.TopicSetupException;
import io.binlogbridge.core.relay.TopicTail;
import io.binlogbridge.core.relay.TransactionTimeoutException;
import io.binlogbridge.relay.ops.RelayProgress;
import io.binlogbridge.schemas.BinlogRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: source binlog in, topic records out, until stopped. Each session fences older writers,
 * reads the topic's last committed record, and continues the source's binlog right after it; any
 * failure ends the session and a new one starts from the topic again, so nothing is lost and nothing
 * is written twice. Failures before the first session streams are the operator's to fix and end the
 * relay with a {@link RelayException}; later ones (a source restart, a broker outage) are retried
 * with backoff.
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RelaySettings settings;
    private final RelayProgress progress;
    private volatile boolean stopped;
    /** Released by {@link #close()}: the retry back-off waits on it, so a stop never waits out a back-off. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile SourceReplication replication;
    private volatile LogWriter writer;
    private volatile boolean streaming;
    /** Resolved at start: the option, else the brokers' maximum. */
    private Duration transactionTimeout;
    /** The brokers' transaction.max.timeout.ms, or null when they would not say. */
    private Duration brokerMaxTimeout;

    public Relay(RelaySettings settings) {
        this(settings, new RelayProgress(settings.source().address(), settings.topic()));
    }

    /** @param progress told what the relay does, for metrics and status */
    public Relay(RelaySettings settings, RelayProgress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs until {@link #close()} or a failure the relay cannot recover from. */
    public void run() throws RelayException, InterruptedException {
        checkSource();
        checkKafka();
        boolean everStreamed = false;
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped) {
            try {
                runSession();
                if (stopped) {
                    return;
                }
                log.warn("source ended the binlog stream; reconnecting");
            } catch (SourceException e) {
                if (stopped) {
                    return;
                }
                if (!e.retryable() || !(everStreamed || streaming)) {
                    throw new RelayException(e.getMessage(), e);
                }
                log.warn("{}; retrying in {} s", e.getMessage(), backoff.toSeconds());
                progress.error(e.getMessage());
            } catch (LogWriter.LogWriterFailedException | KafkaException e) {
                Throwable cause = e instanceof LogWriter.LogWriterFailedException ? e.getCause() : e;
                if (cause instanceof TransactionTimeoutException) {
                    // Checked before fencing: Kafka reports a timed-out transaction with the same errors. Retrying
                    // would write the same transaction just as slowly, forever.
                    throw new RelayException(cause.getMessage(), cause);
                }
                if (cause instanceof InvalidTxnTimeoutException) {
                    throw new RelayException("Kafka refused the transaction timeout of " + Durations.format(transactionTimeout)
                            + ": set --" + RelayOptions.TRANSACTION_TIMEOUT + " to at most the brokers' "
                            + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG + " (" + cause.getMessage() + ")", cause);
                }
                LogWriter failed = writer;
                if (fenced(e) && !CommitRaceCheck.isRace(settings, e, failed != null ? failed.lastAppendedOffset() : -1)) {
                    throw new RelayException("another relay with transactional id " + settings.transactionalId()
                            + " took over topic " + settings.topic() + "; this one stops", cause);
                }
                if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                        || cause instanceof TransactionalIdAuthorizationException || !(everStreamed || streaming)) {
                    throw new RelayException("Kafka: " + cause.getMessage(), cause);
                }
                if (stopped) {
                    return;
                }
                log.warn("Kafka: {}; restarting from the topic's last committed record in {} s", cause.getMessage(), backoff.toSeconds());
                progress.error("Kafka: " + cause.getMessage());
            } catch (IllegalStateException e) {
                throw new RelayException(e.getMessage(), e);
            } finally {
                everStreamed |= streaming;
                if (streaming) {
                    backoff = Duration.ofSeconds(1);
                }
                streaming = false;
                endSession();
            }
            if (!stopped) {
                stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Logs in to the source once before touching Kafka, so that a wrong password or address ends the
     * relay with the source's own message and without creating the topic.
     */
    private void checkSource() throws RelayException {
        try {
            SourceSession.open(settings.source()).close();
        } catch (SourceException e) {
            throw new RelayException(e.getMessage(), e);
        }
    }

    /**
     * Another writer with our transactional id took over. Depending on where the fence meets the
     * producer, Kafka reports it as fenced, as an old epoch, or as an invalid transaction state (the
     * coordinator aborted our transaction for the newcomer). Restarting would fence the newcomer in
     * turn, and the two relays would take turns forever: stop instead, unless {@link CommitRaceCheck}
     * proves that the invalid state was the coordinator's race.
     */
    static boolean fenced(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException
                    || c instanceof InvalidTxnStateException) {
                return true;
            }
            // Kafka 4.3's coordinator can fail an EndTxn that races with a newcomer's epoch fence with
            // an unexpected server error (IllegalStateException "... pending state PREPARE_EPOCH_FENCE").
            if (c instanceof UnknownServerException
                    || (c.getMessage() != null && c.getMessage().startsWith("Unhandled error in EndTxnResponse"))) {
                return true;
            }
        }
        return false;
    }

    private void checkKafka() throws RelayException, InterruptedException {
        // Admin.close() waits for pending calls, which retry until default.api.timeout.ms (60 s): bound
        // both the call and the close by the startup timeout, or an unreachable broker hangs the relay.
        Admin admin = Admin.create(settings.kafkaClient());
        try {
            try {
                Collection<Node> brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) settings.startupTimeout().toMillis()))
                        .nodes().get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
                resolveTransactionTimeout(admin, brokers);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new RelayException("cannot reach Kafka at " + settings.kafkaClient().getProperty("bootstrap.servers")
                        + " within " + settings.startupTimeout().toSeconds() + " s"
                        + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""), e);
            }
            try {
                TopicGuard.ensure(admin, settings.topic(), settings.source().chunkSize(), settings.allowUnsafeTopic(),
                        settings.startupTimeout().toMillis());
            } catch (TopicSetupException e) {
                throw new RelayException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
            }
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /**
     * The option, checked against the brokers' transaction.max.timeout.ms (initTransactions would fail later with
     * less to say), or that maximum itself: the largest MySQL transaction the relay can write is the one it can
     * write within this time. Before the topic is created, so a refused value writes nothing.
     */
    private void resolveTransactionTimeout(Admin admin, Collection<Node> brokers) throws RelayException, InterruptedException {
        String option = "--" + RelayOptions.TRANSACTION_TIMEOUT;
        try {
            brokerMaxTimeout = BrokerTransactionLimit.read(admin, brokers, settings.startupTimeout().toMillis());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            brokerMaxTimeout = null;
            transactionTimeout = settings.transactionTimeout().orElse(BrokerTransactionLimit.PRODUCER_DEFAULT);
            log.warn("cannot read the brokers' {} ({}): Kafka transaction timeout {}{}", BrokerTransactionLimit.MAX_TIMEOUT_CONFIG,
                    cause.getMessage(), Durations.format(transactionTimeout),
                    settings.transactionTimeout().isPresent() ? " (" + option + ")" : ", Kafka's producer default; set " + option + " for more");
            return;
        }
        Optional<Duration> wanted = settings.transactionTimeout();
        if (wanted.isPresent() && wanted.get().compareTo(brokerMaxTimeout) > 0) {
            throw new RelayException(option + " " + Durations.format(wanted.get()) + " is more than the brokers allow ("
                    + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG + "=" + brokerMaxTimeout.toMillis() + ", "
                    + Durations.format(brokerMaxTimeout) + "): lower it, or raise " + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG
                    + " on the brokers");
        }
        transactionTimeout = wanted.orElse(brokerMaxTimeout);
        log.info("Kafka transaction timeout {} ({}): the longest one MySQL transaction may take to write",
                Durations.format(transactionTimeout), wanted.isPresent() ? option + "; the brokers allow up to " + Durations.format(brokerMaxTimeout)
                        : "the brokers' " + BrokerTransactionLimit.MAX_TIMEOUT_CONFIG);
    }

    private void runSession() throws SourceException, InterruptedException {
        LogWriter w = new LogWriter(settings.kafkaClient(), settings.topic(), settings.transactionalId(), settings.queueBytes(),
                settings.maxCommitDelay(), settings.maxCommitBytes(), transactionTimeout, brokerMaxTimeout, this::onCommit,
                this::onWriterFailure);
        writer = w;
        w.stats(progress);
        w.start();
        Optional<BinlogRecord> last = TopicTail.lastRecord(settings.kafkaClient(), settings.topic(), settings.startupTimeout());
        // The log's GTID state is read only for a switch to another source, or to resume in a term's first file.
        SourceReplication pass = new SourceReplication(settings.source(), settings.start(), "topic " + settings.topic(),
                forSwitch -> LogGtidState.read(settings.kafkaClient(), settings.topic(), settings.startupTimeout()));
        replication = pass;
        progress.sessionStarted(pass);
        if (stopped) {
            return;
        }
        if (w.failure() != null) {
            throw new LogWriter.LogWriterFailedException(w.failure());
        }
        try {
            pass.run(last, w);
        } catch (SourceException e) {
            if (w.failure() != null) {
                // The writer's failure closed the source connection under the reader: it is the cause.
                throw new LogWriter.LogWriterFailedException(w.failure());
            }
            throw e;
        } finally {
            streaming = pass.streaming();
        }
        if (w.failure() != null) {
            throw new LogWriter.LogWriterFailedException(w.failure());
        }
    }

    /** The reader may be waiting for a quiet source's next event: stop it, so the session ends on the writer's error now. */
    private void onWriterFailure() {
        SourceReplication pass = replication;
        if (pass != null) {
            pass.close();
        }
    }

    private void onCommit(OutgoingRecord lastRecord, int records, long bytes, boolean ackRequested) {
        if (ackRequested) {
            // Only now, with the transaction durable in Kafka, may a semi-sync source let its commit return.
            SourceReplication pass = replication;
            if (pass != null) {
                try {
                    pass.acknowledge(lastRecord.file(), lastRecord.endPosition());
                    progress.acknowledged();
                } catch (SourceException e) {
                    log.warn("{}", e.getMessage());
                }
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("committed {} records ({} bytes) through {}:{}", records, bytes, lastRecord.file(), lastRecord.endPosition());
        }
    }

    private void endSession() throws InterruptedException {
        progress.sessionEnded();
        SourceReplication pass = replication;
        if (pass != null) {
            pass.close();
            replication = null;
        }
        LogWriter w = writer;
        if (w != null) {
            w.drainAndStop(Duration.ofSeconds(30));
            w.close();
            writer = null;
        }
    }

    /** True while a session streams from the source: it passed every check, a switch included. */
    public boolean streaming() {
        SourceReplication pass = replication;
        return pass != null && pass.streaming();
    }

    /** Stops reading, commits what is complete, and returns once the relay has stopped. */
    @Override
    public void close() {
        stopped = true;
        stopRequested.countDown();
        SourceReplication pass = replication;
        if (pass != null) {
            pass.close();
        }
    }
}
