package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.log.IndexedFile;

/**
 * Where a dump starts and what it leaves out.
 *
 * @param file the file the dump starts in
 * @param startOffset topic offset to read from (at or before the first record to send)
 * @param startPosition the first file position to send; earlier events of the file are skipped
 * @param resendFormatDescription send the file's FORMAT_DESCRIPTION with log_pos 0 (the dump skips
 *     the start of the file)
 * @param excludeMySql MySQL GTID auto-positioning: transactions the replica already has
 * @param excludeMariaDb MariaDB GTID: per domain, the last GTID the replica has
 */
public record DumpPlan(
        IndexedFile file,
        long startOffset,
        long startPosition,
        boolean resendFormatDescription,
        MySqlGtidSet excludeMySql,
        MariaDbGtidPosition excludeMariaDb) {}
