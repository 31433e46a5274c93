package io.binlogbridge.replayer.archive;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Which archived files roll a backup forward. From a GTID state: every file from the first one holding a transaction
 * the backup lacks (its GTID state at the end is not within the backup's); the replay skips what the backup already
 * holds by GTID (MySQL skips executed GTIDs itself; {@code mariadb-binlog --start-position=GTID_STATE} for MariaDB).
 * Up to a time: the files up to the last one that began at or before it ({@code --stop-datetime} ends the replay
 * inside it).
 */
final class ArchiveFind {
    private ArchiveFind() {}

    /** A file to replay and the position to start it from. */
    record Step(String name, long startPosition) {
        @Override
        public String toString() {
            return name + " " + startPosition;
        }
    }

    /**
     * @param files the archive's files in log order (the index)
     * @param gtidSet the backup's GTID state; null: from the archive's first file
     * @param untilEpochSecond the last moment to roll forward to; null: to the archive's last file
     */
    static List<Step> plan(List<FileManifest> files, String gtidSet, Long untilEpochSecond) throws ArchiveException {
        int from = 0;
        if (gtidSet != null) {
            from = files.size();
            for (int i = 0; i < files.size(); i++) {
                if (!covers(files.get(i), gtidSet, files.get(i).gtidsAtEnd())) {
                    from = i;
                    break;
                }
            }
            if (from < files.size() && !covers(files.get(from), gtidSet, files.get(from).gtidsAtStart())) {
                FileManifest f = files.get(from);
                throw new ArchiveException("the archive cannot roll this backup forward: " + f.name() + " starts at GTID state "
                        + f.gtidsAtStart() + ", which holds transactions the backup (" + gtidSet + ") lacks and no archived file has");
            }
        }
        int to = files.size() - 1;
        if (untilEpochSecond != null) {
            to = -1;
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).firstEventTimestamp() <= untilEpochSecond) {
                    to = i;
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            steps.add(new Step(files.get(i).name(), BinlogConstants.BIN_LOG_HEADER_SIZE));
        }
        return steps;
    }

    /** The backup's state includes {@code state} (a file's GTID state at its start or end). */
    private static boolean covers(FileManifest file, String backup, String state) throws ArchiveException {
        try {
            if ("MARIADB".equals(file.flavor())) {
                return ExecutedGtids.mariaDbPosition(backup).covers(state == null ? MariaDbGtidPosition.empty()
                        : ExecutedGtids.mariaDbPosition(state));
            }
            return MySqlGtidSet.parse(backup).contains(state == null ? MySqlGtidSet.empty() : MySqlGtidSet.parse(state));
        } catch (IllegalArgumentException e) {
            throw new ArchiveException("--gtid-set " + backup + " is not a " + ("MARIADB".equals(file.flavor()) ? "MariaDB GTID position"
                    : "MySQL GTID set") + ": " + e.getMessage(), e);
        }
    }
}
