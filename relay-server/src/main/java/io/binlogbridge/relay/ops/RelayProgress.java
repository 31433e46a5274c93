package io.binlogbridge.relay.ops;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.relay.SourceLag;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.relay.LogWriter;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * What the relay has done so far, for metrics and {@code /status}: the source pass it is in, what Kafka committed
 * (counted once per Kafka commit, never per event), semi-sync acknowledgements and the last error. Written by the
 * relay's threads, read by the HTTP endpoint's.
 */
public final class RelayProgress implements LogWriter.CommitStats {
    private volatile String sourceAddress;
    private final String topic;
    private final LongSupplier clockMillis;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    private volatile SourceReplication pass;
    private volatile long passSinceMillis;
    private volatile SourceIdentity lastSource;
    private volatile boolean everConnected;
    private final AtomicLong eventBytes = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong acknowledgements = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile OutgoingRecord lastCommitted;
    /** The last committed record with events (a TERM_START has none, nor a timestamp). */
    private volatile OutgoingRecord lastCommittedEvents;
    private volatile long lastCommitMillis;
    private volatile String lastError;
    private volatile long lastErrorMillis;
    private volatile LongConsumer commitDurations = nanos -> { };
    private volatile FileListener fileListener = (previousFile, previousTerm, file, term) -> { };
    /** The file and term of the last commit (relay thread only); the term is decoded again after a new pass began. */
    private String lastFile;
    private int lastTerm = -1;
    private boolean termUnchecked = true;
    /** Metadata of one record, decoded when asked for (status, a scrape), never on the relay's own threads. */
    private OutgoingRecord decoded;
    private BinlogRecord decodedMetadata;

    public RelayProgress(String sourceAddress, String topic) {
        this(sourceAddress, topic, System::currentTimeMillis);
    }

    public RelayProgress(String sourceAddress, String topic, LongSupplier clockMillis) {
        this.sourceAddress = sourceAddress;
        this.topic = topic;
        this.clockMillis = clockMillis;
    }

    /** Told of each new binlog file (rotate) and each new term that Kafka commits, never per event. */
    @FunctionalInterface
    public interface FileListener {
        /** @param previousFile null at the first commit of this process; {@code previousTerm} is then -1 */
        void newFile(String previousFile, int previousTerm, String file, int term);
    }

    public void onNewFile(FileListener listener) {
        fileListener = listener;
    }

    /** A pass over the source begins (it may still be connecting). */
    public void sessionStarted(SourceReplication replication) {
        termUnchecked = true; // a new pass may begin a new term, even in a file of the same name
        passSinceMillis = clockMillis.getAsLong();
        pass = replication;
        everConnected = true;
    }

    /** The pass ended (failure, stop): the relay is not reading the source until the next one. */
    public void sessionEnded() {
        SourceReplication p = pass;
        if (p != null && p.identity() != null) {
            lastSource = p.identity();
        }
        pass = null;
    }

    @Override
    public void committed(OutgoingRecord lastRecord, long bytes, int completedTransactions, long commitNanos) {
        eventBytes.addAndGet(bytes);
        transactions.addAndGet(completedTransactions);
        commits.incrementAndGet();
        lastCommitted = lastRecord;
        if (lastRecord.kind() != RecordKind.TERM_START) {
            lastCommittedEvents = lastRecord;
        }
        lastCommitMillis = clockMillis.getAsLong();
        commitDurations.accept(commitNanos);
        String file = lastRecord.file();
        if (termUnchecked || lastRecord.kind() == RecordKind.TERM_START || !java.util.Objects.equals(file, lastFile)) {
            // Decoded only here, at a rotate or a new pass: once per file, not per commit.
            int term = metadata(lastRecord).getTerm();
            if (term != lastTerm || !java.util.Objects.equals(file, lastFile)) {
                fileListener.newFile(lastFile, lastTerm, file, term);
            }
            lastFile = file;
            lastTerm = term;
            termUnchecked = false;
        }
    }

    /** A semi-sync acknowledgement went to the source. */
    public void acknowledged() {
        acknowledgements.incrementAndGet();
    }

    /** The relay met an error it recovers from (reconnecting, restarting from the topic). */
    public void error(String message) {
        lastError = message;
        lastErrorMillis = clockMillis.getAsLong();
        errors.incrementAndGet();
    }

    /** Told how long each Kafka commit took (the commit latency histogram). */
    public void onCommitDuration(LongConsumer nanos) {
        commitDurations = nanos;
    }

    /** How far behind the source the log is, in seconds ({@link SourceLag}). */
    public double secondsBehindSource() {
        return SourceLag.secondsBehind(pass, lastCommitted, lastCommittedEvents, r -> metadata(r).getEventTimestamp(),
                clockMillis.getAsLong());
    }

    /** Decoded metadata (term, timestamp, ...) of a record; the events are not copied. */
    public synchronized BinlogRecord metadata(OutgoingRecord record) {
        if (record != decoded) {
            decodedMetadata = codec.decodeMetadata(record.value());
            decoded = record;
        }
        return decodedMetadata;
    }

    public String sourceAddress() {
        return sourceAddress;
    }

    /** The relay was re-pointed at another source (the admin port's CHANGE REPLICATION SOURCE TO). */
    public void sourceAddress(String address) {
        this.sourceAddress = address;
    }

    public String topic() {
        return topic;
    }

    /** The current pass over the source, null between passes. */
    public SourceReplication pass() {
        return pass;
    }

    public long passSinceMillis() {
        return passSinceMillis;
    }

    /** A pass has begun at least once (the relay got past its start-up checks). */
    public boolean everConnected() {
        return everConnected;
    }

    /** The source of the current pass, else of the last one; null before the first login. */
    public SourceIdentity source() {
        SourceReplication p = pass;
        SourceIdentity identity = p == null ? null : p.identity();
        return identity != null ? identity : lastSource;
    }

    public long eventBytes() {
        return eventBytes.get();
    }

    public long transactions() {
        return transactions.get();
    }

    public long commits() {
        return commits.get();
    }

    public long acknowledgements() {
        return acknowledgements.get();
    }

    public long errors() {
        return errors.get();
    }

    public OutgoingRecord lastCommitted() {
        return lastCommitted;
    }

    /** When Kafka last committed, in epoch milliseconds; 0 before the first commit. */
    public long lastCommitMillis() {
        return lastCommitMillis;
    }

    public String lastError() {
        return lastError;
    }

    public long lastErrorMillis() {
        return lastErrorMillis;
    }

    public long nowMillis() {
        return clockMillis.getAsLong();
    }
}
