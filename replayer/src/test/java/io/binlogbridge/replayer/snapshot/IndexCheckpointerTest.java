package io.binlogbridge.replayer.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.replayer.log.IndexSnapshot;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.schemas.Flavor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the replayer writes index snapshots: at once, when a file closes or 64 MiB more is indexed, at most every 10 s. */
class IndexCheckpointerTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final List<Long> written = new ArrayList<>();
    private boolean failing;

    private final SnapshotWriter writer = new SnapshotWriter() {
        @Override
        public String indexTopic() {
            return "t.index";
        }

        @Override
        public IndexSnapshotRecords.Head write(byte[] snapshot, long coveredOffset) {
            if (failing) {
                throw new IllegalStateException("broker unreachable");
            }
            assertEquals(coveredOffset, IndexSnapshot.decode(snapshot).nextOffset());
            written.add(coveredOffset);
            return IndexSnapshotRecords.head(written.size(), snapshot, coveredOffset, "id", 0);
        }
    };

    private static TestLogs log() {
        return new TestLogs(Flavor.MYSQL).header("binlog.000001", 197, "").transaction("binlog.000001", 197, 600, TestLogs.UUID + ":1");
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void theFirstSnapshotIsWrittenOnceTheIndexIsReadyThenOnlyWhenAFileClosesAtMostEvery10Seconds() {
        TestLogs logs = log();
        LogIndex index = logs.index();
        IndexCheckpointer checkpointer = new IndexCheckpointer(writer, index, "t", -1, now::get);
        checkpointer.tick();
        assertEquals(List.of(2L), written, "at once after a start that read the whole topic");

        logs.transaction("binlog.000001", 600, 900, TestLogs.UUID + ":2");
        advance(30);
        checkpointer.tick();
        assertEquals(List.of(2L), written, "a few more bytes of the same file: not yet");

        logs.rotate("binlog.000001", 900, "binlog.000002").header("binlog.000002", 197, TestLogs.UUID + ":1-2");
        checkpointer.tick();
        assertEquals(List.of(2L, 5L), written, "a file closed");

        logs.rotate("binlog.000002", 197, "binlog.000003").header("binlog.000003", 197, TestLogs.UUID + ":1-2");
        advance(9);
        checkpointer.tick();
        assertEquals(List.of(2L, 5L), written, "not within 10 s of the last");
        advance(1);
        checkpointer.tick();
        assertEquals(List.of(2L, 5L, 7L), written);

        // 64 MiB more of one file.
        logs.transaction("binlog.000003", 197, 197 + (64L << 20), TestLogs.UUID + ":3");
        advance(10);
        checkpointer.tick();
        assertEquals(List.of(2L, 5L, 7L, 8L), written);

        logs.transaction("binlog.000003", 197 + (64L << 20), 300 + (64L << 20), TestLogs.UUID + ":4");
        checkpointer.close();
        assertEquals(List.of(2L, 5L, 7L, 8L, 9L), written, "a last one on shutdown");
    }

    @Test
    void aRestoredSnapshotIsNotWrittenAgainAndAFailureWaitsAMinute() {
        TestLogs logs = log();
        LogIndex index = logs.index();
        IndexCheckpointer checkpointer = new IndexCheckpointer(writer, index, "t", 2, now::get);
        checkpointer.tick();
        assertEquals(List.of(), written, "the snapshot it restored covers the log");

        failing = true;
        logs.rotate("binlog.000001", 600, "binlog.000002").header("binlog.000002", 197, TestLogs.UUID + ":1");
        checkpointer.tick();
        failing = false;
        advance(59);
        checkpointer.tick();
        assertEquals(List.of(), written, "a failed write is tried again after 60 s, not 10");
        advance(1);
        checkpointer.tick();
        assertEquals(List.of(4L), written);
    }

    @Test
    void anIndexAPurgeMovedIsNotWritten() {
        TestLogs logs = log().rotate("binlog.000001", 600, "binlog.000002").header("binlog.000002", 197, TestLogs.UUID + ":1");
        LogIndex index = logs.index();
        index.startMovedTo(3);
        IndexCheckpointer checkpointer = new IndexCheckpointer(writer, index, "t", -1, now::get);
        checkpointer.tick();
        advance(100);
        checkpointer.tick();
        checkpointer.close();
        assertEquals(List.of(), written);
    }
}
