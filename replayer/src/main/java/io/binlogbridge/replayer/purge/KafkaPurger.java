package io.binlogbridge.replayer.purge;

import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.server.sql.QueryResult;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges by deleting the topic's records before the kept file's first record ({@code Admin.deleteRecords}), then moves
 * this replayer's index at once (other replayers notice the topic's new beginning on their own). One purge at a time,
 * on its own thread: Kafka's answers never hold up a connection's event loop.
 */
public final class KafkaPurger implements Purger, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPurger.class);
    static final int ER_UNKNOWN_TARGET_BINLOG = 1373;
    static final int ER_BINLOG_PURGE_PROHIBITED = 1375;
    static final int ER_BINLOG_PURGE_FATAL_ERR = 1377;
    /** MySQL's ER_WARN_PURGE_LOG_IN_USE, for a file kept because the archive lacks it. */
    static final int ER_WARN_PURGE_LOG_NOT_ARCHIVED = 1867;
    private static final long KAFKA_TIMEOUT_SECONDS = 30;

    private final LogIndex index;
    private final LogConsumers log;
    private final ZoneId zone;
    /** null: no archive, purge as MySQL does. */
    private final ArchiveGuard archive;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "purge");
        t.setDaemon(true);
        return t;
    });
    private Admin admin;

    /** @param archive the files a purge may drop are those it holds complete; null: any file */
    public KafkaPurger(LogIndex index, LogConsumers log, ZoneId zone, ArchiveGuard archive) {
        this.index = index;
        this.log = log;
        this.zone = zone;
        this.archive = archive;
    }

    @Override
    public CompletableFuture<QueryResult> purge(PurgeRequest request) {
        return CompletableFuture.supplyAsync(() -> run(request), executor);
    }

    private QueryResult run(PurgeRequest request) {
        List<IndexedFile> files = index.files();
        IndexedFile kept = PurgeTargets.keptFirst(files, request, zone);
        if (kept == null) {
            return request.toFile() != null ? error(ER_UNKNOWN_TARGET_BINLOG, "Target log not found in binlog index") : new QueryResult.Ok(0);
        }
        if (kept == files.get(0)) {
            return new QueryResult.Ok(0);
        }
        int wanted = files.indexOf(kept);
        IndexedFile unarchived = null;
        if (archive != null) {
            try {
                unarchived = firstUnarchived(files.subList(0, wanted));
            } catch (ArchiveException e) {
                LOG.warn("purge to {}: cannot tell which files {} holds: {}", kept.name(), archive.describe(), e.getMessage());
                return error(ER_BINLOG_PURGE_FATAL_ERR, "Fatal error during log purge: cannot read the archive: " + e.getMessage());
            }
            if (unarchived != null) {
                kept = unarchived;
            }
        }
        if (kept != files.get(0)) {
            QueryResult.Error failed = deleteBefore(kept);
            if (failed != null) {
                return failed;
            }
        }
        if (unarchived != null) {
            // As MySQL 8.0 reports a file it kept because a dump reads it (ER_WARN_PURGE_LOG_IN_USE), as an error: the
            // statement did not do all it was asked.
            int purged = files.indexOf(unarchived);
            LOG.info("purge stopped at {}: {} does not hold it complete yet", unarchived.name(), archive.describe());
            return error(ER_WARN_PURGE_LOG_NOT_ARCHIVED, "file " + unarchived.name() + " was not purged because it is not archived in "
                    + archive.describe() + " yet, purged only " + purged + " out of " + wanted + " files.");
        }
        return new QueryResult.Ok(0);
    }

    private IndexedFile firstUnarchived(List<IndexedFile> candidates) throws ArchiveException {
        for (IndexedFile f : candidates) {
            if (!archive.archived(f)) {
                return f;
            }
        }
        return null;
    }

    /** Deletes the records before {@code kept}'s first one and moves the index; null when done, else the error to answer. */
    private QueryResult.Error deleteBefore(IndexedFile kept) {
        try {
            String policy = cleanupPolicy();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
                // Kafka refuses deleteRecords on a compact-only topic; say why rather than relay its PolicyViolation.
                return error(ER_BINLOG_PURGE_PROHIBITED, "Server configuration does not permit binlog purge: topic " + log.topic()
                        + " has cleanup.policy=" + policy + "; PURGE deletes records, which Kafka allows only with cleanup.policy=compact,delete");
            }
            admin().deleteRecords(Map.of(log.partition(), RecordsToDelete.beforeOffset(kept.firstOffset())))
                    .all().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("purge to {} failed: {}", kept.name(), e.getCause().toString());
            return error(ER_BINLOG_PURGE_FATAL_ERR, "Fatal error during log purge: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return error(ER_BINLOG_PURGE_FATAL_ERR, "Fatal error during log purge: Kafka did not answer in " + KAFKA_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(ER_BINLOG_PURGE_FATAL_ERR, "Fatal error during log purge: interrupted");
        }
        List<IndexedFile> dropped = index.startMovedTo(kept.firstOffset());
        LOG.info("purged {} file(s) before {}: topic {} now begins at offset {}; gtid_purged '{}'", dropped.size(), kept.name(),
                log.topic(), kept.firstOffset(), index.gtidPurged());
        return null;
    }

    private String cleanupPolicy() throws ExecutionException, TimeoutException, InterruptedException {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, log.topic());
        Config config = admin().describeConfigs(List.of(topic)).all().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        var entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return entry == null || entry.value() == null ? TopicConfig.CLEANUP_POLICY_DELETE : entry.value();
    }

    /** Created on the first purge: most replayers never purge. Only the purge thread uses it. */
    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(log.clientProperties());
        }
        return admin;
    }

    private static QueryResult.Error error(int code, String message) {
        return new QueryResult.Error(code, "HY000", message);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close();
        }
        if (archive != null) {
            archive.close();
        }
    }
}
