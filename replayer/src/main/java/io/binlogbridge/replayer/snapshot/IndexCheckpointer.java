package io.binlogbridge.replayer.snapshot;

import io.binlogbridge.replayer.log.IndexSnapshot;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the topic's index snapshot current while the replayer serves: once the index is ready (at once when it was
 * built by reading the whole topic), then whenever a binlog file closed or the log grew by {@link #GROWTH_BYTES} since
 * the last one, at most every {@link #MIN_INTERVAL_NANOS}, and a last one on clean shutdown. A failed write is one WARN
 * line; serving never depends on it, and the next attempt waits {@link #RETRY_NANOS}.
 */
public final class IndexCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexCheckpointer.class);
    static final long GROWTH_BYTES = 64L << 20;
    static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long CHECK_MILLIS = 1000;
    static final long CLOSE_WAIT_SECONDS = 10;

    private final SnapshotWriter store;
    private final LogIndex index;
    private final String topic;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "index-checkpointer");
        t.setDaemon(true);
        return t;
    });
    /** What the last snapshot written (or restored) covered; -1 before any. */
    private long writtenOffset;
    private int writtenFiles;
    private long writtenBytes;
    private long lastAttemptNanos;
    private boolean failed;
    private boolean divergedLogged;

    /** @param restoredOffset the offset the restored snapshot covered (it need not be written again); -1 if none */
    public IndexCheckpointer(SnapshotWriter store, LogIndex index, String topic, long restoredOffset) {
        this(store, index, topic, restoredOffset, System::nanoTime);
    }

    IndexCheckpointer(SnapshotWriter store, LogIndex index, String topic, long restoredOffset, LongSupplier nanoTime) {
        this.store = store;
        this.index = index;
        this.topic = topic;
        this.nanoTime = nanoTime;
        this.writtenOffset = restoredOffset;
        if (restoredOffset >= 0) {
            List<IndexedFile> files = index.files();
            writtenFiles = files.size();
            writtenBytes = logBytes(files);
        }
        this.lastAttemptNanos = nanoTime.getAsLong() - MIN_INTERVAL_NANOS;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes a snapshot if one is due; runs on the timer's thread. */
    synchronized void tick() {
        if (!index.isReady() || index.nextOffset() == writtenOffset) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastAttemptNanos < (failed ? RETRY_NANOS : MIN_INTERVAL_NANOS)) {
            return;
        }
        List<IndexedFile> files = index.files();
        boolean due = writtenOffset < 0 || files.size() != writtenFiles || logBytes(files) - writtenBytes >= GROWTH_BYTES;
        if (due) {
            write(now);
        }
    }

    /** Sum of the indexed files' sizes: how much log the index describes (it only grows between purges). */
    private long logBytes(List<IndexedFile> files) {
        long bytes = 0;
        for (IndexedFile f : files) {
            bytes += index.size(f);
        }
        return bytes;
    }

    private void write(long now) {
        if (!index.matchesScan()) {
            if (!divergedLogged) {
                divergedLogged = true;
                log.info("topic {} was purged while this replayer ran: its index is no longer the one a start-up builds, so no "
                        + "snapshot until the next start", topic);
            }
            return;
        }
        lastAttemptNanos = now;
        long began = System.nanoTime();
        List<IndexedFile> files = index.files();
        IndexSnapshot snapshot = index.snapshot();
        if (snapshot.nextOffset() == 0 || snapshot.lastKey() == null) {
            return;
        }
        try {
            byte[] bytes = snapshot.encode();
            IndexSnapshotRecords.Head head = store.write(bytes, snapshot.nextOffset());
            writtenOffset = snapshot.nextOffset();
            writtenFiles = files.size();
            writtenBytes = logBytes(files);
            failed = false;
            log.info("wrote the index snapshot of topic {} to {}: records before offset {}, {} binlog files, {} bytes in {} chunk(s), {} ms",
                    topic, store.indexTopic(), snapshot.nextOffset(), snapshot.fileCount(), bytes.length, head.chunks(),
                    (System.nanoTime() - began) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed = true;
            log.warn("writing the index snapshot of topic {} to {} failed (serving goes on; next try in {} s): {}", topic,
                    store.indexTopic(), TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS), e.getMessage());
        }
    }

    /**
     * Writes a last snapshot if the index moved since the last one, then stops. A shutdown waits for it at most
     * {@link #CLOSE_WAIT_SECONDS}: an unreachable broker must not hold the process.
     */
    @Override
    public void close() {
        Future<?> last = timer.submit(() -> {
            synchronized (this) {
                if (index.isReady() && index.nextOffset() != writtenOffset) {
                    write(nanoTime.getAsLong());
                }
            }
        });
        timer.shutdown();
        try {
            last.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("writing the last index snapshot of topic {} failed: {}", topic, e.getCause().toString());
        } catch (TimeoutException e) {
            log.warn("the last index snapshot of topic {} was not written within {} s of shutdown; the next start reads the "
                    + "records after the previous one", topic, CLOSE_WAIT_SECONDS);
            timer.shutdownNow();
        }
    }
}
