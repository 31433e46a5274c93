package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.IndexedFile;

/**
 * Where a dump starts and what it leaves out.
 *
 * @param file the file the dump starts in; null when it starts in the archive
 * @param startOffset topic offset to read from (at or before the first record to send); -1 when it starts in the archive
 * @param startPosition the first file position to send; earlier events of the file are skipped
 * @param resendFormatDescription send the file's FORMAT_DESCRIPTION with log_pos 0 (the dump skips
 *     the start of the file)
 * @param excludeMySql MySQL GTID auto-positioning: transactions the replica already has
 * @param excludeMariaDb MariaDB GTID: per domain, the last GTID the replica has
 * @param archived the archived file the dump starts in, when the topic no longer holds it; null otherwise
 */
public record DumpPlan(
        IndexedFile file,
        long startOffset,
        long startPosition,
        boolean resendFormatDescription,
        MySqlGtidSet excludeMySql,
        MariaDbGtidPosition excludeMariaDb,
        FileManifest archived) {

    public DumpPlan(IndexedFile file, long startOffset, long startPosition, boolean resendFormatDescription,
            MySqlGtidSet excludeMySql, MariaDbGtidPosition excludeMariaDb) {
        this(file, startOffset, startPosition, resendFormatDescription, excludeMySql, excludeMariaDb, null);
    }

    /** A dump that starts in the archived file {@code archived} at {@code startPosition}, and goes on from the topic. */
    static DumpPlan fromArchive(FileManifest archived, long startPosition, MySqlGtidSet excludeMySql, MariaDbGtidPosition excludeMariaDb) {
        return new DumpPlan(null, -1, startPosition, startPosition > BinlogConstants.BIN_LOG_HEADER_SIZE, excludeMySql,
                excludeMariaDb, archived);
    }

    /** The name of the file the dump starts in, as the client sees it. */
    public String fileName() {
        return archived != null ? archived.name() : file.name();
    }
}
