package io.binlogbridge.replayer.log;

/**
 * Gives a starting {@link LogIndex} a state saved earlier, so the indexer reads only the records after it. Implemented
 * by the index snapshots ({@code io.binlogbridge.replayer.snapshot}); a replayer without them scans the whole topic.
 */
public interface IndexRestorer {
    /**
     * Restores into {@code index} (which has applied nothing) a saved state of this topic, if one exists and holds for
     * the topic as it is now; otherwise leaves the index alone and says why in the log.
     *
     * @param beginningOffset the topic's start now
     * @param endOffset       the topic's end now
     * @return whether the index was restored
     */
    boolean restore(LogIndex index, long beginningOffset, long endOffset);
}
