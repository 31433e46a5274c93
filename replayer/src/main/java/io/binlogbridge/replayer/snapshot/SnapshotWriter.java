package io.binlogbridge.replayer.snapshot;

/** Where {@link IndexCheckpointer} writes snapshots: {@link IndexSnapshotStore}, or a test's stand-in. */
public interface SnapshotWriter {
    /** The topic the snapshots go to, for log lines. */
    String indexTopic();

    /** Writes {@code snapshot}, which describes the binlog topic's records before {@code coveredOffset}; returns its head. */
    IndexSnapshotRecords.Head write(byte[] snapshot, long coveredOffset) throws InterruptedException;
}
