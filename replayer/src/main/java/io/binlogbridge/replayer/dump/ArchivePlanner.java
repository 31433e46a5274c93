package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.archive.FileManifest;
import java.util.List;

/**
 * Where a dump starts in the archive, for requests the topic can no longer serve. Only the archived files before the
 * topic's first file count: what the topic still holds is served from the topic. The rules are the source's own, with
 * the manifests' GTID states in place of each file's PREVIOUS_GTIDS.
 */
final class ArchivePlanner {
    private ArchivePlanner() {}

    /**
     * MySQL auto-position: as MySQL, the newest file whose GTID state at its start the replica already has (earlier
     * files hold nothing it lacks).
     *
     * @param archived the archive's files in log order
     * @param topicFirst the name of the topic's first file
     * @throws DumpRefusedException MySQL's purged-GTIDs error when even the archive's first file starts with
     *     transactions the replica lacks (or the archive holds nothing before the topic)
     */
    static DumpPlan mySqlGtid(List<FileManifest> archived, String topicFirst, MySqlGtidSet replica, MySqlGtidSet topicPurged)
            throws DumpRefusedException {
        List<FileManifest> before = before(archived, topicFirst);
        for (int i = before.size() - 1; i >= 0; i--) {
            if (replica.contains(MySqlGtidSet.parse(atStart(before.get(i))))) {
                return DumpPlan.fromArchive(before.get(i), BinlogConstants.BIN_LOG_HEADER_SIZE, replica, null);
            }
        }
        MySqlGtidSet missing = before.isEmpty() ? topicPurged : MySqlGtidSet.parse(atStart(before.get(0)));
        throw DumpPlanner.purged(replica, missing);
    }

    /** MariaDB GTID: the newest file that starts at or before the replica's position in every domain. */
    static DumpPlan mariaDbGtid(List<FileManifest> archived, String topicFirst, MariaDbGtidPosition replica) throws DumpRefusedException {
        List<FileManifest> before = before(archived, topicFirst);
        for (int i = before.size() - 1; i >= 0; i--) {
            if (replica.covers(ExecutedGtids.mariaDbPosition(atStart(before.get(i))))) {
                return DumpPlan.fromArchive(before.get(i), BinlogConstants.BIN_LOG_HEADER_SIZE, null, replica);
            }
        }
        throw DumpPlanner.mariaDbStateNotFound();
    }

    /**
     * File and position: the named archived file. A position inside an event is found out while streaming, as for the
     * topic; the file's end goes on to the next file.
     */
    static DumpPlan position(List<FileManifest> archived, String topicFirst, String fileName, long position) throws DumpRefusedException {
        for (FileManifest m : before(archived, topicFirst)) {
            if (m.name().equals(fileName)) {
                if (position < BinlogConstants.BIN_LOG_HEADER_SIZE) {
                    throw new DumpRefusedException("Client requested master to start replication from position < 4");
                }
                if (position > m.size()) {
                    throw new DumpRefusedException("Client requested master to start replication from position > file size");
                }
                return DumpPlan.fromArchive(m, position, null, null);
            }
        }
        throw new DumpRefusedException("Could not find first log file name in binary log index file");
    }

    /** The file's GTID state at its start; "" (nothing) when the manifest has none. */
    private static String atStart(FileManifest m) {
        return m.gtidsAtStart() == null ? "" : m.gtidsAtStart();
    }

    /** The archived files before the topic's first one (all of them when the archive does not hold that one yet). */
    private static List<FileManifest> before(List<FileManifest> archived, String topicFirst) {
        for (int i = 0; i < archived.size(); i++) {
            if (archived.get(i).name().equals(topicFirst)) {
                return archived.subList(0, i);
            }
        }
        return archived;
    }
}
