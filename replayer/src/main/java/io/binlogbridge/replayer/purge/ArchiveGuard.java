package io.binlogbridge.replayer.purge;

import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.replayer.archive.ArchivedFiles;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;

/**
 * {@code --archive}: a purge drops only files the archive holds complete ({@link ArchivedFiles}), so history leaves
 * the topic only once it is safe elsewhere. Used by the purge thread only.
 */
public final class ArchiveGuard implements AutoCloseable {
    private final ArchiveStorage storage;
    private final LogIndex index;

    public ArchiveGuard(ArchiveStorage storage, LogIndex index) {
        this.storage = storage;
        this.index = index;
    }

    boolean archived(IndexedFile file) throws ArchiveException {
        return ArchivedFiles.completeCopy(storage, index, file) != null;
    }

    String describe() {
        return storage.describe();
    }

    @Override
    public void close() {
        storage.close();
    }
}
