package io.binlogbridge.replayer.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.replayer.log.IndexSnapshot;
import io.binlogbridge.replayer.log.IndexSnapshotTest;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The archiver's index, restored from a snapshot a replayer wrote and fed the records after it, is the index the
 * archiver builds by reading the whole topic: a replayer's own --server-id and --source-flavor do not travel in the
 * snapshot, and every split of the log gives the same files, offsets and presented sizes the archiver copies by.
 */
class ArchiverIndexSnapshotTest {
    @Test
    void restoredFromAReplayersSnapshotTheArchiversIndexIsAFullScans() {
        for (TestLogs logs : List.of(IndexSnapshotTest.mysqlLog(), IndexSnapshotTest.startedMidHistory(), IndexSnapshotTest.mariaDbLog())) {
            List<BinlogRecord> records = logs.records();
            LogIndex full = IndexSnapshotTest.scan(ArchiveMain.newIndex(), records, 0, records.size(), null);
            byte[] expected = full.snapshot().encode();
            for (int split = 1; split < records.size(); split++) {
                LogIndex replayers = IndexSnapshotTest.scan(new LogIndex(4242L, Flavor.MARIADB), records, 0, split, null);
                LogIndex archivers = IndexSnapshotTest.scan(ArchiveMain.newIndex(), records, split, records.size(),
                        IndexSnapshot.decode(replayers.snapshot().encode()));
                assertArrayEquals(expected, archivers.snapshot().encode(), "split at " + split);
                IndexSnapshotTest.assertSameAnswers(full, archivers);
                assertEquals(full.identity(), archivers.identity(), "split at " + split);
            }
        }
    }
}
