package io.binlogbridge.connect;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.relay.Durations;
import io.binlogbridge.core.relay.LogGtidState;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.core.relay.TopicGuard;
import io.binlogbridge.core.relay.TopicSetupException;
import io.binlogbridge.core.relay.TopicTail;
import io.binlogbridge.core.relay.TransactionTimeoutException;
import io.binlogbridge.core.replica.SourceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as a Connect source task: core's {@link SourceReplication} reads the source on a thread of
 * its own into a queue bounded in bytes, and {@link #poll()} hands the encoded records to Connect.
 *
 * <p>Where it continues. On start the task reads the topic's last committed record ({@link TopicTail},
 * read_committed) and continues right after it, exactly like relay-server: the topic is the only
 * checkpoint, Connect's source offsets are only logged. With exactly-once on the worker, Connect has
 * already fenced the previous generation of this task (its open transaction is aborted) before
 * {@code start}, so the tail is exact. Without exactly-once, the worker's producer retries sends forever
 * in order, so the topic holds a prefix of what earlier tasks handed out, possibly ending inside a
 * MySQL transaction: {@link LogEnd} continues inside it without rewriting its chunks.
 *
 * <p>Within one task, a record handed to Connect is either written or the task fails (a failed send or
 * commit fails the task; {@code errors.tolerance=all}, which would drop records, is refused by
 * validation). So after a source failure the task reconnects with backoff and continues after the last
 * record it queued, without re-reading the topic. A task that fails or is stopped starts over from
 * the topic.
 *
 * <p>Exactly-once: a Connect transaction is committed only on a record that completes a MySQL
 * transaction (a commit point), the last one of each poll batch, so several small MySQL transactions
 * share a Kafka transaction and a big one spans as many polls as it needs within one.
 */
public final class BinlogSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(BinlogSourceTask.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int MAX_POLL_RECORDS = 10_000;

    private BinlogSourceConfig config;
    private Map<String, String> sourcePartition;
    private TransactionContext transactions;
    private LinkedBlockingQueue<OutgoingRecord> queue;
    private Semaphore queuedBytes;
    private int queueCapacity;
    private long pollMaxBytes;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile SourceReplication replication;
    private volatile OutgoingRecord lastQueued;
    private Thread reader;
    private volatile KafkaTransactionClock clock;
    private TaskMetrics metrics;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new BinlogSourceConfig(props);
        config.start();
        sourcePartition = Map.of("server", config.sourceAddress());
        transactions = context.transactionContext();
        queueCapacity = (int) Math.min(Integer.MAX_VALUE, config.getLong(BinlogSourceConfig.QUEUE_MAX_BYTES));
        queuedBytes = new Semaphore(queueCapacity);
        queue = new LinkedBlockingQueue<>();
        pollMaxBytes = config.getLong(BinlogSourceConfig.POLL_MAX_BYTES);
        stopped = false;
        failure.set(null);
        lastQueued = null;

        metrics = taskMetrics();
        ensureTopic();
        LogEnd end;
        try {
            end = LogEnd.of(TopicTail.lastRecord(config.kafkaClient(), config.topic(), config.startupTimeout()));
        } catch (RuntimeException e) {
            throw new ConnectException("cannot read the last record of topic " + config.topic() + ": " + e.getMessage(), e);
        }
        logOffsetHint(end);
        log.info("task for source {} starts; topic {} ends at {}; exactly-once transaction boundaries: {}",
                config.sourceAddress(), config.topic(), end, transactions != null ? "connector-defined" : "off");
        clock = null;
        if (transactions != null) {
            clock = new KafkaTransactionClock(config.transactionTimeout(), BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS);
            log.info("Kafka transaction timeout {} ({}): the longest one MySQL transaction may take to write",
                    Durations.format(config.transactionTimeout()), config.getInt(BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS) != null
                            ? BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS : "Kafka's default; set " + BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS);
        }
        reader = new Thread(() -> read(end), "binlog-source-" + config.sourceAddress());
        reader.setDaemon(true);
        reader.start();
    }

    /** Null on a worker older than Kafka 4.1, which gives tasks no plugin metrics. */
    private TaskMetrics taskMetrics() {
        try {
            return new TaskMetrics(context.pluginMetrics(), () -> replication);
        } catch (LinkageError | UnsupportedOperationException e) {
            log.info("this Connect worker offers no plugin metrics (Kafka 4.1+): the task's figures are not reported");
            return null;
        }
    }

    private void ensureTopic() {
        Admin admin = Admin.create(config.kafkaClient());
        try {
            TopicGuard.ensure(admin, config.topic(), config.getInt(BinlogSourceConfig.CHUNK_SIZE_BYTES),
                    config.getBoolean(BinlogSourceConfig.TOPIC_ALLOW_UNSAFE), BinlogSourceConfig.TOPIC_ALLOW_UNSAFE + "=true",
                    config.startupTimeout().toMillis());
        } catch (TopicSetupException e) {
            throw new ConnectException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while setting up topic " + config.topic(), e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** Connect's committed offset is a hint only: the topic is the truth. Logged when they differ. */
    private void logOffsetHint(LogEnd end) {
        try {
            Map<String, Object> offset = context.offsetStorageReader().offset(sourcePartition);
            if (offset != null) {
                log.info("Connect's last committed source offset: {} (not used: continuing after the topic's last record, {})", offset, end);
            }
        } catch (RuntimeException e) {
            log.debug("no source offset from Connect: {}", e.toString());
        }
    }

    /** The reader thread: relay passes until stopped, reconnecting with backoff after source failures. */
    private void read(LogEnd initial) {
        LogEnd end = initial;
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped) {
            LogEnd from = end;
            SourceReplication pass = new SourceReplication(config.source(), config.start(), "topic " + config.topic(),
                    forSwitch -> logState(from, forSwitch));
            replication = pass;
            try {
                if (stopped) {
                    return;
                }
                pass.run(end.continueAfter(), end.filter(this::enqueue));
                if (stopped) {
                    return;
                }
                log.warn("source {} ended the binlog stream; reconnecting", config.sourceAddress());
            } catch (SourceException e) {
                if (stopped) {
                    return;
                }
                if (!e.retryable()) {
                    failure.compareAndSet(null, e);
                    return;
                }
                log.warn("{}; retrying in {} s", e.getMessage(), backoff.toSeconds());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopped) {
                    failure.compareAndSet(null, e);
                }
                return;
            } finally {
                if (pass.streaming()) {
                    backoff = Duration.ofSeconds(1);
                }
                pass.close();
                replication = null;
            }
            OutgoingRecord last = lastQueued;
            if (last != null) {
                end = LogEnd.of(last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * The log's GTID state, read from the topic. A switch to another source is decided only at the task's start:
     * records this task has queued may not be in the topic yet, and a log ending inside a transaction would have
     * that transaction's GTID twice (its first chunks, then the new source's copy).
     */
    private LogGtidState logState(LogEnd end, boolean forSwitch) throws SourceException {
        if (forSwitch && lastQueued != null) {
            throw new SourceException("source " + config.sourceAddress() + " is now another server than the one this task was"
                    + " reading: restart the task, which decides from the topic whether the new server may continue it", false, null);
        }
        if (forSwitch && end.partial()) {
            throw new SourceException("refusing to switch sources: topic " + config.topic() + " ends inside a transaction (" + end
                    + "): let the task finish it from the previous source first", false, null);
        }
        return LogGtidState.read(config.kafkaClient(), config.topic(), config.startupTimeout());
    }

    private void enqueue(OutgoingRecord record) throws InterruptedException {
        int permits = permits(record);
        while (!queuedBytes.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
            if (stopped) {
                throw new InterruptedException("task stopping");
            }
        }
        queue.put(record);
        lastQueued = record;
    }

    private int permits(OutgoingRecord record) {
        return Math.min(queueCapacity, record.key().length + record.value().length);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        failIfTransactionExpired();
        OutgoingRecord first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            throwIfFailed();
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>();
        List<OutgoingRecord> handedOut = new ArrayList<>();
        SourceRecord lastCommitPoint = null;
        int lastCommitIndex = -1;
        long bytes = 0;
        OutgoingRecord r = first;
        while (r != null) {
            SourceRecord sr = toSourceRecord(r);
            batch.add(sr);
            handedOut.add(r);
            bytes += r.value().length;
            queuedBytes.release(permits(r));
            if (r.commitPoint()) {
                lastCommitPoint = sr;
                lastCommitIndex = batch.size() - 1;
            }
            if (bytes >= pollMaxBytes || batch.size() >= MAX_POLL_RECORDS) {
                break;
            }
            r = queue.poll();
        }
        if (transactions != null) {
            clock.handedOut(handedOut, lastCommitIndex, System.nanoTime());
            if (lastCommitPoint != null) {
                transactions.commitTransaction(lastCommitPoint);
            }
        }
        return batch;
    }

    /** With exactly-once, Connect calls this once the Kafka transaction the task asked for has committed. */
    @Override
    public void commit() {
        KafkaTransactionClock c = clock;
        if (c != null) {
            c.committed(System.nanoTime());
        }
    }

    /**
     * A MySQL transaction has kept the worker's Kafka transaction open past the producer's transaction timeout: the
     * coordinator aborts it (if it has not yet), and writing on would only fail later with less to say.
     */
    private void failIfTransactionExpired() {
        KafkaTransactionClock c = clock;
        if (c != null) {
            Optional<TransactionTimeoutException> expired = c.expired(System.nanoTime());
            if (expired.isPresent()) {
                throw new ConnectException(expired.get().getMessage(), expired.get());
            }
        }
    }

    private SourceRecord toSourceRecord(OutgoingRecord r) {
        return new RelayedRecord(sourcePartition, config.topic(), r);
    }

    /** Kafka holds the record (with exactly-once: its transaction committed). */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (metadata != null && metrics != null && record instanceof RelayedRecord relayed) {
            metrics.committed(relayed.outgoing());
        }
    }

    private void throwIfFailed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new ConnectException(t.getMessage(), t);
        }
    }

    @Override
    public void stop() {
        stopped = true;
        if (metrics != null) {
            metrics.close();
        }
        KafkaTransactionClock c = clock;
        if (c != null) {
            // The worker's producer may have met the abort first (a commit waiting on a slow flush): the task's
            // failure is then Connect's "transaction expired"; this line says which transaction and what to raise.
            c.expired(System.nanoTime()).ifPresent(e -> log.error("{}", e.getMessage()));
        }
        SourceReplication pass = replication;
        if (pass != null) {
            pass.close();
        }
        Thread t = reader;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
