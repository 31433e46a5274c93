package io.binlogbridge.replayer.cluster;

import io.binlogbridge.replayer.ReplayerConfig;
import io.binlogbridge.replayer.ReplayerConfig.ClusterTopic;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.replayer.dump.ArchiveHistory;
import io.binlogbridge.replayer.dump.BinlogEventsReader;
import io.binlogbridge.replayer.dump.KafkaDumpRequestHandler;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.LogIndexer;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.purge.ArchiveGuard;
import io.binlogbridge.replayer.purge.KafkaPurger;
import io.binlogbridge.replayer.purge.Retention;
import io.binlogbridge.replayer.purge.RetentionPolicy;
import io.binlogbridge.replayer.server.ServedCluster;
import io.binlogbridge.replayer.snapshot.IndexCheckpointer;
import io.binlogbridge.replayer.snapshot.IndexSnapshotStore;
import io.binlogbridge.replayer.snapshot.SnapshotRestorer;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;

/**
 * Everything the replayer keeps for one cluster's log: its index of the topic (and the index snapshots), the consumers
 * and block cache its dumps read through, the dump handler, SHOW BINLOG EVENTS' reader, PURGE and retention. Nothing
 * is shared between clusters but the protocol server and the Kafka client settings, so one cluster's identity, files
 * and GTID state never show through another's.
 */
public final class ClusterLog implements AutoCloseable {
    /** What a dump streaming history pins off-heap: fifty dumps far apart hold fifty blocks. */
    private static final int BLOCK_BYTES = 4 << 20;
    /**
     * Blocks per fetch from Kafka. One client catching up waits on fetches: 8 MiB per round trip read 664 MB/s against
     * 607 with 4 MiB (docs/benchmarks.md, stop 13), and splitting the fetch keeps the blocks at {@link #BLOCK_BYTES}.
     */
    private static final int BLOCKS_PER_FETCH = 2;
    /**
     * What the dumps following the log's end share: two of the index tail's 8 MiB fetches, or the last 4096 fetches (at
     * one small transaction each, the last seconds of a busy log). A dump further behind reads the block cache.
     */
    private static final long TAIL_BYTES = 16 << 20;
    private static final int TAIL_BLOCKS = 4096;

    private final ClusterTopic cluster;
    private final LogIndex index;
    private final LogConsumers consumers;
    private final IndexSnapshotStore snapshots;
    private final SnapshotRestorer restorer;
    private final LogIndexer indexer;
    private final RecordBlockCache blocks;
    private final LiveTail tail;
    private final KafkaDumpRequestHandler dumps;
    private final BinlogEventsReader binlogEvents;
    private final KafkaPurger purger;
    private final Retention retention;
    private IndexCheckpointer checkpointer;

    /**
     * @param dumpCache bytes of off-heap memory for this cluster's log blocks
     * @param archive   the archive of this log (--archive), null for none; the cluster owns it from now
     */
    public ClusterLog(ClusterTopic cluster, ReplayerConfig config, Properties kafka, long dumpCache, ArchiveStorage archive) {
        this.cluster = cluster;
        this.index = new LogIndex(config.serverId(), config.sourceFlavor());
        this.consumers = new LogConsumers(kafka, cluster.topic());
        this.snapshots = cluster.indexTopic() == null ? null : new IndexSnapshotStore(kafka, cluster.topic(), cluster.indexTopic());
        this.restorer = snapshots == null ? null : new SnapshotRestorer(snapshots, consumers);
        this.tail = new LiveTail(TAIL_BYTES, TAIL_BLOCKS, PooledByteBufAllocator.DEFAULT);
        this.indexer = new LogIndexer(consumers, index, restorer, tail);
        this.blocks = new RecordBlockCache(consumers, index, dumpCache, BLOCK_BYTES, BLOCKS_PER_FETCH, 2,
                PooledByteBufAllocator.DEFAULT);
        // One storage for both: the guard owns it (closes it with the purger, after the dumps have ended).
        ArchiveGuard guard = archive == null ? null : new ArchiveGuard(archive, index);
        this.dumps = new KafkaDumpRequestHandler(index, consumers, blocks, tail, config.maxDumps(),
                archive == null ? null : new ArchiveHistory(archive));
        this.binlogEvents = new BinlogEventsReader(index, blocks);
        this.purger = new KafkaPurger(index, consumers, ZoneId.systemDefault(), guard);
        this.retention = config.binlogExpireLogsSeconds() == 0 ? null
                : new Retention(purger, index,
                        RetentionPolicy.expireAfter(Duration.ofSeconds(config.binlogExpireLogsSeconds())), Clock.systemDefaultZone());
    }

    public String name() {
        return cluster.name();
    }

    public String topic() {
        return cluster.topic();
    }

    public LogIndex index() {
        return index;
    }

    public RecordBlockCache blocks() {
        return blocks;
    }

    public LiveTail tail() {
        return tail;
    }

    /** What the protocol server serves of this cluster. */
    public ServedCluster served() {
        return new ServedCluster(cluster.name(), index, dumps, binlogEvents, purger);
    }

    /** Starts reading the topic into the index (restoring a snapshot first, if there is one). */
    public void startIndexing() {
        indexer.start();
    }

    /** Once clients are let in: retention and index snapshots run from now. */
    public void startMaintenance() {
        if (retention != null) {
            retention.start();
        }
        if (snapshots != null) {
            checkpointer = new IndexCheckpointer(snapshots, index, cluster.topic(), restorer.restoredOffset());
            checkpointer.start();
        }
    }

    /** Stops retention: nothing is purged while the replayer stops. */
    public void stopRetention() {
        if (retention != null) {
            retention.close();
        }
    }

    /** Ends each dump at an event boundary, waiting at most {@code timeout}. */
    public void finishDumps(Duration timeout) throws InterruptedException {
        dumps.finishAll(timeout);
    }

    /** After the protocol server closed: releases the log's resources, the last snapshot written before the indexer stops. */
    @Override
    public void close() {
        dumps.close();
        binlogEvents.close();
        purger.close();
        blocks.close();
        tail.close();
        if (checkpointer != null) {
            // Before the indexer stops: the last snapshot covers everything this replayer indexed.
            checkpointer.close();
        }
        if (snapshots != null) {
            snapshots.close();
        }
        indexer.close();
    }
}
