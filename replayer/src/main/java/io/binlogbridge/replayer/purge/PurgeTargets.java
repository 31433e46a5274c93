package io.binlogbridge.replayer.purge;

import io.binlogbridge.replayer.log.IndexedFile;
import java.time.ZoneId;
import java.util.List;

/** Which file a purge keeps as the log's new first file: every file before it goes. */
final class PurgeTargets {
    private PurgeTargets() {}

    /**
     * The file that becomes the log's first: the named one for TO (null: not in the log), for BEFORE the first file
     * whose last event is not older than the time. The file being written (the last) is never purged, as MySQL never
     * purges its active log.
     */
    static IndexedFile keptFirst(List<IndexedFile> files, PurgeRequest request, ZoneId zone) {
        if (files.isEmpty()) {
            return null;
        }
        if (request.toFile() != null) {
            return files.stream().filter(f -> f.name().equals(request.toFile())).findFirst().orElse(null);
        }
        long before = request.before().atZone(zone).toEpochSecond();
        for (IndexedFile f : files.subList(0, files.size() - 1)) {
            if (f.lastEventTime() >= before) {
                return f;
            }
        }
        return files.get(files.size() - 1);
    }
}
