package io.binlogbridge.replayer.purge;

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
    private static final long KAFKA_TIMEOUT_SECONDS = 30;

    private final LogIndex index;
    private final LogConsumers log;
    private final ZoneId zone;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "purge");
        t.setDaemon(true);
        return t;
    });
    private Admin admin;

    public KafkaPurger(LogIndex index, LogConsumers log, ZoneId zone) {
        this.index = index;
        this.log = log;
        this.zone = zone;
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
        return new QueryResult.Ok(0);
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
    }
}
