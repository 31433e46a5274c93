package io.binlogbridge.replayer.purge;

import io.binlogbridge.server.sql.QueryResult;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --binlog-expire-logs-seconds N}, as MySQL's binlog_expire_logs_seconds: now and then, the purge MySQL runs at
 * a rotation, {@code PURGE BINARY LOGS BEFORE now - N}. With {@code --archive} the purger drops only archived files.
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Purger purger;
    private final Duration expireAfter;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });
    /** The last refusal logged, so a file waiting for the archive is reported once, not at every check. */
    private String lastRefusal;

    public Retention(Purger purger, Duration expireAfter, Clock clock) {
        this.purger = purger;
        this.expireAfter = expireAfter;
        this.clock = clock;
    }

    /** Checks every quarter of the expiry period, at least every second and at most every minute. */
    public void start() {
        long period = Math.max(1, Math.min(60, expireAfter.toSeconds() / 4));
        LOG.info("retention: purging files whose last event is older than {} s, checked every {} s", expireAfter.toSeconds(), period);
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.SECONDS);
    }

    void check() {
        LocalDateTime cutoff = LocalDateTime.now(clock).minus(expireAfter);
        try {
            QueryResult result = purger.purge(PurgeRequest.before(cutoff)).get();
            if (result instanceof QueryResult.Error e) {
                if (!e.message().equals(lastRefusal)) {
                    LOG.info("retention: {}", e.message());
                    lastRefusal = e.message();
                }
            } else {
                lastRefusal = null;
            }
        } catch (ExecutionException e) {
            LOG.warn("retention: purge before {} failed: {}", cutoff, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
