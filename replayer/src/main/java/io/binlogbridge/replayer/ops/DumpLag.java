package io.binlogbridge.replayer.ops;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import java.util.List;

/** How far a dump is behind the end of the log, in bytes of binlog. */
final class DumpLag {
    private DumpLag() {}

    /**
     * The bytes of the log after {@code file:position}: the rest of that file and every later file (without their
     * 4-byte magic); -1 when the index does not know the file.
     */
    static long bytesBehind(List<IndexedFile> files, LogIndex index, String file, long position) {
        if (file == null) {
            return -1;
        }
        int at = -1;
        for (int i = files.size() - 1; i >= 0; i--) {
            if (files.get(i).name().equals(file)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return -1;
        }
        long behind = Math.max(0, index.size(files.get(at)) - position);
        for (IndexedFile later : files.subList(at + 1, files.size())) {
            behind += Math.max(0, index.size(later) - BinlogConstants.BIN_LOG_HEADER_SIZE);
        }
        return behind;
    }
}
