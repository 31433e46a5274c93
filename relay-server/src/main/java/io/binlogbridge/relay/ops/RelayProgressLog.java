package io.binlogbridge.relay.ops;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.relay.Durations;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.SourceException;
import io.binlogbridge.core.replica.SourceSession;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's progress in its log, at INFO: every {@code --progress-interval} while it streams from the source, one
 * line with the MB committed since the last line, MB/s, how far behind the source the log is in seconds (as
 * {@code binlogbridge_relay_seconds_behind_source}) and in bytes (the source's SHOW BINARY LOGS after the last
 * committed position, asked on a short connection of its own once per line), and when it would catch up at this
 * rate; and one line at each new binlog file (rotate) and each new term Kafka commits. Nothing per event. Figures
 * come from {@link RelayProgress}, as /status and /metrics read them.
 */
public final class RelayProgressLog implements RelayProgress.FileListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayProgressLog.class);

    /** Bytes of binary log the source holds after a position; -1 when it cannot tell. */
    @FunctionalInterface
    public interface BacklogProbe {
        long bytesAfter(SourceConfig source, String file, long position) throws SourceException;
    }

    private final RelayProgress progress;
    private final Duration period;
    private final BacklogProbe backlog;
    private ScheduledExecutorService timer;
    private long lastBytes;
    private long lastTransactions;
    private long lastMillis;

    public RelayProgressLog(RelayProgress progress, Duration period, BacklogProbe backlog) {
        this.progress = progress;
        this.period = period;
        this.backlog = backlog;
        this.lastBytes = progress.eventBytes();
        this.lastTransactions = progress.transactions();
        this.lastMillis = progress.nowMillis();
    }

    /** Listens for rotates and terms and, unless the period is 0, starts the periodic line on a thread of its own. */
    public static RelayProgressLog start(RelayProgress progress, Duration period) {
        RelayProgressLog l = new RelayProgressLog(progress, period, SourceSession::backlogBytes);
        progress.onNewFile(l);
        if (!period.isZero()) {
            l.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "relay-progress");
                t.setDaemon(true);
                return t;
            });
            long ms = period.toMillis();
            l.timer.scheduleAtFixedRate(() -> {
                try {
                    String line = l.tick();
                    if (line != null) {
                        log.info(line);
                    }
                } catch (RuntimeException e) {
                    log.debug("progress line failed", e);
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
            log.info("progress every {} (--progress-interval)", Durations.format(period));
        }
        return l;
    }

    /**
     * The periodic line now, or null while the relay is not streaming from the source (starting, reconnecting: the
     * warnings say why). The figures are since the last call, streaming or not.
     */
    synchronized String tick() {
        long now = progress.nowMillis();
        long bytes = progress.eventBytes();
        long transactions = progress.transactions();
        long elapsed = now - lastMillis;
        long deltaBytes = bytes - lastBytes;
        long deltaTransactions = transactions - lastTransactions;
        lastMillis = now;
        lastBytes = bytes;
        lastTransactions = transactions;
        SourceReplication pass = progress.pass();
        if (pass == null || !pass.streaming()) {
            return null;
        }
        OutgoingRecord committed = progress.lastCommitted();
        String at = committed == null ? null : committed.file() + ":" + committed.endPosition();
        long bytesBehind = -1;
        if (committed != null) {
            try {
                bytesBehind = backlog.bytesAfter(pass.config(), committed.file(), committed.endPosition());
            } catch (SourceException | RuntimeException e) {
                log.debug("cannot tell how many bytes the source holds after {}: {}", at, e.getMessage());
            }
        }
        return progressLine(deltaBytes, deltaTransactions, elapsed, progress.secondsBehindSource(), bytesBehind, at);
    }

    /**
     * {@code progress: 12.3 MB in 30 s (0.41 MB/s, 1200 transactions), behind the source 2.0 s and 4.1 MB (caught up in
     * about 10s at this rate), committed up to mysql-bin.000003:4567}. MB are 10^6 bytes of binlog events. Seconds
     * behind: "unknown" when NaN; bytes behind left out when unknown (-1).
     */
    static String progressLine(long bytes, long transactions, long elapsedMillis, double secondsBehind, long bytesBehind,
                               String committedAt) {
        double mb = bytes / 1e6;
        double seconds = Math.max(elapsedMillis, 1) / 1000.0;
        return String.format(Locale.ROOT, "progress: %.1f MB in %s s (%.2f MB/s, %d transactions), behind the source %s%s, committed up to %s",
                mb, seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format(Locale.ROOT, "%.1f", seconds),
                mb / seconds, transactions,
                Double.isNaN(secondsBehind) ? "unknown" : String.format(Locale.ROOT, "%.1f s", secondsBehind),
                bytesBehind(bytesBehind, bytes / seconds), committedAt == null ? "nothing yet" : committedAt);
    }

    private static String bytesBehind(long bytesBehind, double bytesPerSecond) {
        if (bytesBehind < 0) {
            return "";
        }
        String mb = String.format(Locale.ROOT, " and %.1f MB", bytesBehind / 1e6);
        if (bytesBehind == 0) {
            return mb;
        }
        if (bytesPerSecond < 1) {
            return mb + " (not catching up: nothing committed in this interval)";
        }
        long etaSeconds = (long) Math.ceil(bytesBehind / bytesPerSecond);
        return mb + " (caught up in about " + roughly(etaSeconds) + " at this rate)";
    }

    /** 40 s, 12 min, 3.5 h: an estimate, to the unit a reader thinks in. */
    static String roughly(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        if (seconds < 90 * 60) {
            return Math.round(seconds / 60.0) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }

    @Override
    public void newFile(String previousFile, int previousTerm, String file, int term) {
        log.info(fileLine(previousFile, previousTerm, file, term, progress.source(), progress.sourceAddress(), progress.topic()));
    }

    /** The line at a rotate, at a new term, and at the first commit of the process. */
    static String fileLine(String previousFile, int previousTerm, String file, int term, SourceIdentity source, String address,
            String topic) {
        String from = address + (source == null ? "" : " (" + source.flavor().name() + " " + source.serverVersion() + ", server id "
                + source.serverId() + ")");
        if (previousFile == null) {
            return "relaying " + from + " into topic " + topic + ": file " + file + ", term " + term;
        }
        if (term != previousTerm) {
            return "new term " + term + ": the log continues from " + from + " in file " + file + " (term " + previousTerm
                    + " ended in " + previousFile + ")";
        }
        return "rotate: relaying file " + file + " (after " + previousFile + ")";
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
