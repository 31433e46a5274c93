package io.binlogbridge.replayer.cluster;

import io.binlogbridge.replayer.ops.ReplayerMetrics;
import io.binlogbridge.replayer.server.ServedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The clusters one replayer serves, in the order given: the first one's identity is the greeting's. */
public final class Clusters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Clusters.class);

    private final List<ClusterLog> logs;

    public Clusters(List<ClusterLog> logs) {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("a replayer serves at least one cluster");
        }
        this.logs = List.copyOf(logs);
    }

    public List<ClusterLog> all() {
        return logs;
    }

    public ClusterLog first() {
        return logs.get(0);
    }

    public List<ServedCluster> served() {
        List<ServedCluster> served = new ArrayList<>();
        for (ClusterLog l : logs) {
            served.add(l.served());
        }
        return served;
    }

    /** Each cluster's log, for the meters. */
    public List<ReplayerMetrics.ClusterMeters> meters() {
        List<ReplayerMetrics.ClusterMeters> meters = new ArrayList<>();
        for (ClusterLog l : logs) {
            meters.add(new ReplayerMetrics.ClusterMeters(l.name(), l.index(), l.blocks(), l.tail()));
        }
        return meters;
    }

    /** Starts every index, then waits until each has caught up with its topic. */
    public void startIndexingAndAwait() throws InterruptedException {
        for (ClusterLog l : logs) {
            l.startIndexing();
        }
        for (ClusterLog l : logs) {
            while (!l.index().awaitReady(10, TimeUnit.SECONDS)) {
                log.info("still indexing topic {} of cluster {} ({} records so far)", l.topic(), l.name(), l.index().nextOffset());
            }
        }
    }

    public void startMaintenance() {
        logs.forEach(ClusterLog::startMaintenance);
    }

    public void stopRetention() {
        logs.forEach(ClusterLog::stopRetention);
    }

    /** Ends every cluster's dumps at an event boundary, all of them within {@code timeout}. */
    public void finishDumps(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ClusterLog l : logs) {
            l.finishDumps(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        logs.forEach(ClusterLog::close);
    }
}
