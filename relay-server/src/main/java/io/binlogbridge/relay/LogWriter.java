package io.binlogbridge.relay;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordSink;
import io.binlogbridge.core.relay.OpenKafkaTransaction;
import io.binlogbridge.core.relay.TransactionTimeoutException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to the binlog topic with a transactional producer, on a thread of its own so that
 * reading the source goes on while Kafka commits.
 *
 * <p>Group commit: a Kafka transaction is committed only right after a commit point (a MySQL
 * transaction's last chunk), as soon as nothing more is waiting (lowest latency when the source is
 * quiet), or when it has been open for {@code maxCommitDelay} or holds {@code maxCommitBytes}. A busy
 * source thus gets many MySQL transactions per Kafka commit, never part of one.
 *
 * <p>A MySQL transaction that spans several records starts a Kafka transaction of its own (what is
 * complete before it is committed first), so that the transaction timeout bounds the time to write that
 * one transaction, and a transaction too big for it loses nothing written before it.
 *
 * <p>The producer's transactional id is the relay's identity: starting a second writer with the same
 * id fences the first (its open transaction is aborted, its next call fails). The transaction
 * coordinator aborts a transaction open longer than {@code transactionTimeout} the same way, and the
 * producer learns it through the same errors; the writer tells the two apart by how long its Kafka
 * transaction had been open when the error came (see {@link #fail}).
 */
public final class LogWriter implements RecordSink, AutoCloseable {
    /** The producer's batch size: 1 MiB less room for a Java array's header. */
    static final int BATCH_BYTES = (1 << 20) - 64;
    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
    private static final OutgoingRecord STOP = new OutgoingRecord(null, null, null, null, 0, 0, null, 0, true, false);

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LinkedBlockingQueue<OutgoingRecord> queue = new LinkedBlockingQueue<>();
    private final Semaphore queuedBytes;
    private final int queueCapacityBytes;
    private final long maxCommitDelayNanos;
    private final long maxCommitBytes;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final OpenKafkaTransaction open = new OpenKafkaTransaction();
    private final Duration transactionTimeout;
    private final Duration brokerMaxTimeout;
    private final Thread thread;
    private final CommitListener listener;
    private final Runnable failureListener;
    private volatile boolean stopping;
    private volatile CommitStats stats;
    /** The offset Kafka gave the last record this writer appended (committed or not), -1 before the first. */
    private volatile long lastAppendedOffset = -1;
    /** Since the last commit, for {@link CommitStats}: event bytes and completed MySQL transactions sent. */
    private long statsEventBytes;
    private int statsTransactions;

    /** Told after each Kafka commit, with the last record it made durable. */
    public interface CommitListener {
        /** @param ackRequested a record of this commit asked for a semi-sync acknowledgement */
        void committed(OutgoingRecord lastRecord, int records, long bytes, boolean ackRequested);
    }

    /**
     * @param transactionTimeout the producer's {@code transaction.timeout.ms}: the coordinator aborts a Kafka
     *     transaction open longer than this
     * @param brokerMaxTimeout the brokers' {@code transaction.max.timeout.ms} when known (for the error message), else null
     * @param failureListener told once when the writer fails, so that a reader waiting on a quiet source learns it now
     *     rather than at the source's next event
     */
    public LogWriter(Properties clientProperties, String topic, String transactionalId, int queueCapacityBytes,
            Duration maxCommitDelay, long maxCommitBytes, Duration transactionTimeout, Duration brokerMaxTimeout,
            CommitListener listener, Runnable failureListener) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        // A produce request carries one batch of the partition, so the batch size sets how much one round trip to the
        // broker moves: 1 MiB batches instead of 256 KiB cut both the broker's and the relay's CPU in a catch-up
        // (docs/benchmarks.md, stop 14). Just under 1 MiB, so that a batch's array (with its header) fits one G1
        // region at a 256 MiB heap: exactly 1 MiB took two regions each, and a 1 GiB transaction ran a 256 MiB relay
        // out of heap. The batch buffers are pooled (buffer.memory), so these few humongous arrays live as long as
        // the producer.
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L << 20));
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // The OS's socket buffer, which grows with the traffic, instead of Kafka's fixed 128 KiB: a catch-up sends
        // batches of 1 MiB back to back.
        props.putIfAbsent(ProducerConfig.SEND_BUFFER_CONFIG, "-1");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        // Back-to-back transactions: the next one's first send may find the previous one's markers still
        // being written (CONCURRENT_TRANSACTIONS); the default 100 ms retry backoff would add that much to
        // the lag of every transaction that follows a commit.
        props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
        this.topic = topic;
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.queueCapacityBytes = queueCapacityBytes;
        this.queuedBytes = new Semaphore(queueCapacityBytes);
        this.maxCommitDelayNanos = maxCommitDelay.toNanos();
        this.maxCommitBytes = maxCommitBytes;
        this.transactionTimeout = transactionTimeout;
        this.brokerMaxTimeout = brokerMaxTimeout;
        this.listener = listener;
        this.failureListener = failureListener;
        this.thread = new Thread(this::run, "log-writer");
        this.thread.setDaemon(true);
    }

    /** Sets who is told the figures of each commit; call before {@link #start()}. */
    public void stats(CommitStats commitStats) {
        this.stats = commitStats;
    }

    /** Registers the transactional id (fencing any older writer) and starts the writer thread. */
    public void start() {
        producer.initTransactions();
        thread.start();
    }

    /** Queues a record; blocks while the queue holds its capacity in bytes (backpressure on the source). */
    @Override
    public void accept(OutgoingRecord record) throws InterruptedException {
        throwIfFailed();
        int permits = permits(record);
        while (!queuedBytes.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
        queue.put(record);
    }

    /**
     * The offset of the last record this writer's producer appended to the topic, -1 if none: no record of another
     * writer can come before it once it is acknowledged, since a writer that takes over fences this one first.
     */
    public long lastAppendedOffset() {
        return lastAppendedOffset;
    }

    /** The error that stopped the writer, if any: a {@link TransactionTimeoutException} when the transaction timeout ended it. */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Records the first error. Kafka reports a transaction it aborted for its timeout with the errors of a
     * fence (old epoch, fenced, invalid state, aborted); a fence by another relay, though, comes while our
     * transaction is younger than the timeout. The coordinator counts from the transaction's first record,
     * later than {@code begin} here, so a transaction it timed out has been open at least that long by
     * our clock.
     */
    private void fail(Throwable t) {
        synchronized (this) {
            if (failure.get() != null) {
                return;
            }
            Duration openFor = open.openFor(System.nanoTime());
            if (openFor.compareTo(transactionTimeout) >= 0 && abortedByKafka(t)) {
                t = new TransactionTimeoutException(open.largest(), openFor, transactionTimeout, brokerMaxTimeout,
                        "--" + RelayOptions.TRANSACTION_TIMEOUT, t);
            }
            failure.set(t);
        }
        if (failureListener != null && !stopping) {
            failureListener.run();
        }
    }

    private static boolean abortedByKafka(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TransactionAbortedException) {
                return true;
            }
        }
        return Relay.fenced(t);
    }

    private void throwIfFailed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new LogWriterFailedException(t);
        }
    }

    private int permits(OutgoingRecord record) {
        return Math.min(queueCapacityBytes, record.value().length + record.key().length);
    }

    private void run() {
        boolean inTransaction = false;
        long transactionStart = 0;
        long transactionBytes = 0;
        int transactionRecords = 0;
        boolean ackRequested = false;
        OutgoingRecord lastSent = null;
        try {
            while (true) {
                OutgoingRecord record = inTransaction && lastSent.commitPoint()
                        ? queue.poll(Math.max(0, maxCommitDelayNanos - (System.nanoTime() - transactionStart)), TimeUnit.NANOSECONDS)
                        : queue.poll(100, TimeUnit.MILLISECONDS);
                if (record == STOP) {
                    if (inTransaction) {
                        if (lastSent.commitPoint()) {
                            commit(lastSent, transactionRecords, transactionBytes, ackRequested);
                        } else {
                            open.end();
                            producer.abortTransaction();
                        }
                    }
                    return;
                }
                if (record != null) {
                    if (inTransaction && lastSent.commitPoint() && !record.commitPoint()) {
                        // A MySQL transaction bigger than one record starts: it gets the transaction timeout to itself.
                        commit(lastSent, transactionRecords, transactionBytes, ackRequested);
                        inTransaction = false;
                    }
                    if (!inTransaction) {
                        producer.beginTransaction();
                        inTransaction = true;
                        transactionStart = System.nanoTime();
                        open.begin(transactionStart);
                        transactionBytes = 0;
                        transactionRecords = 0;
                        ackRequested = false;
                    }
                    open.add(record);
                    producer.send(new ProducerRecord<>(topic, 0, record.key(), record.value()), (metadata, error) -> {
                        if (error != null) {
                            fail(error);
                        } else {
                            // One partition, callbacks on the producer's one I/O thread in send order: offsets only grow.
                            lastAppendedOffset = metadata.offset();
                        }
                    });
                    queuedBytes.release(permits(record));
                    transactionBytes += record.value().length;
                    transactionRecords++;
                    statsEventBytes += record.eventBytes();
                    if (record.commitPoint() && record.kind() == io.binlogbridge.schemas.RecordKind.TRANSACTION) {
                        statsTransactions++;
                    }
                    ackRequested |= record.ackRequested();
                    lastSent = record;
                }
                Throwable sendFailure = failure.get();
                if (sendFailure != null) {
                    throw sendFailure;
                }
                if (inTransaction && lastSent.commitPoint()
                        && (queue.isEmpty() || transactionBytes >= maxCommitBytes
                            || System.nanoTime() - transactionStart >= maxCommitDelayNanos)) {
                    commit(lastSent, transactionRecords, transactionBytes, ackRequested);
                    inTransaction = false;
                } else if (record == null && stopping) {
                    return;
                }
            }
        } catch (Throwable t) {
            fail(t);
            boolean fenced = Relay.fenced(failure.get());
            open.end();
            try {
                if (inTransaction && !fenced) {
                    producer.abortTransaction();
                }
            } catch (RuntimeException ignored) {
                // The transaction is abandoned either way: the coordinator aborts it on timeout or fencing.
            }
        }
    }

    private void commit(OutgoingRecord last, int records, long bytes, boolean ackRequested) {
        long commitStart = System.nanoTime();
        producer.commitTransaction();
        open.end();
        Throwable sendFailure = failure.get();
        if (sendFailure != null) {
            throw new LogWriterFailedException(sendFailure);
        }
        CommitStats s = stats;
        if (s != null) {
            s.committed(last, statsEventBytes, statsTransactions, System.nanoTime() - commitStart);
        }
        statsEventBytes = 0;
        statsTransactions = 0;
        if (listener != null) {
            listener.committed(last, records, bytes, ackRequested);
        }
    }

    /**
     * Commits what is complete, aborts a partial transaction, and stops. Waits for the writer thread.
     */
    public void drainAndStop(Duration timeout) throws InterruptedException {
        stopping = true;
        if (thread.isAlive()) {
            queue.put(STOP);
            thread.join(timeout.toMillis());
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** Told after each Kafka commit what it made durable, for the relay's figures (metrics, status). */
    public interface CommitStats {
        /**
         * @param eventBytes binlog event bytes the commit made durable
         * @param transactions MySQL transactions it completed
         * @param commitNanos how long Kafka took to commit
         */
        void committed(OutgoingRecord lastRecord, long eventBytes, int transactions, long commitNanos);
    }

    /** The writer thread stopped on this error; the source reader learns it on its next record. */
    public static final class LogWriterFailedException extends RuntimeException {
        LogWriterFailedException(Throwable cause) {
            super("writing to Kafka failed: " + cause, cause);
        }
    }
}
