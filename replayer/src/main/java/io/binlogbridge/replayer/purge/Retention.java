package io.binlogbridge.replayer.purge;

import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.server.sql.QueryResult;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges what a {@link RetentionPolicy} no longer keeps: the replayer's {@code --binlog-expire-logs-seconds} (as MySQL's
 * binlog_expire_logs_seconds, the purge MySQL runs at a rotation) and the archiver's {@code --retain-*}. With an
 * archive the purger drops only archived files, and a file waiting for the archive is reported once.
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Purger purger;
    private final LogIndex index;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });
    /** The last refusal logged, so a file waiting for the archive is reported once, not at every check. */
    private String lastRefusal;

    public Retention(Purger purger, LogIndex index, RetentionPolicy policy, Clock clock) {
        this.purger = purger;
        this.index = index;
        this.policy = policy;
        this.clock = clock;
    }

    /** Checks on a timer: every quarter of the kept time, at least every second and at most every minute. */
    public void start() {
        long period = Math.max(1, Math.min(60, policy.time().toSeconds() / 4));
        LOG.info("retention: {}, checked every {} s", policy, period);
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.SECONDS);
    }

    /** Purges, on the caller's thread, the files the policy no longer keeps; nothing when it keeps them all. */
    public void check() {
        List<IndexedFile> files = index.files();
        IndexedFile kept = policy.keptFirst(files, clock.instant().getEpochSecond());
        if (kept == null || kept == files.get(0)) {
            return;
        }
        try {
            QueryResult result = purger.purge(PurgeRequest.to(kept.name())).get();
            if (result instanceof QueryResult.Error e) {
                if (!e.message().equals(lastRefusal)) {
                    LOG.info("retention: {}", e.message());
                    lastRefusal = e.message();
                }
            } else {
                lastRefusal = null;
            }
        } catch (ExecutionException e) {
            LOG.warn("retention: purge to {} failed: {}", kept.name(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
