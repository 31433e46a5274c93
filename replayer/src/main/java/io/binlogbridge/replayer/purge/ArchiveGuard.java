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
    /** False when the storage belongs to someone else (the archiver), who closes it. */
    private final boolean ownsStorage;

    /** A guard that closes {@code storage} when it closes (the replayer's {@code --archive}). */
    public ArchiveGuard(ArchiveStorage storage, LogIndex index) {
        this(storage, index, true);
    }

    private ArchiveGuard(ArchiveStorage storage, LogIndex index, boolean ownsStorage) {
        this.storage = storage;
        this.index = index;
        this.ownsStorage = ownsStorage;
    }

    /** A guard over storage its caller keeps open and closes (the archiver's own). */
    public static ArchiveGuard borrowing(ArchiveStorage storage, LogIndex index) {
        return new ArchiveGuard(storage, index, false);
    }

    boolean archived(IndexedFile file) throws ArchiveException {
        return ArchivedFiles.completeCopy(storage, index, file) != null;
    }

    String describe() {
        return storage.describe();
    }

    @Override
    public void close() {
        if (ownsStorage) {
            storage.close();
        }
    }
}
