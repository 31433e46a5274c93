package io.binlogbridge.replayer.dump;

import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.replayer.archive.ArchivedFiles;
import io.binlogbridge.replayer.archive.FileManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --archive} as dumps see it: the archive's index (loaded when a dump first needs history the topic no longer
 * holds, then refreshed at most every few seconds; the archiver adds files while the replayer runs) and its files as
 * resumable streams. Shared by every dump; the storage belongs to whoever opened it.
 */
public final class ArchiveHistory {
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ArchiveStorage storage;
    private List<FileManifest> files;
    private long loadedAt;

    public ArchiveHistory(ArchiveStorage storage) {
        this.storage = storage;
    }

    /** The archive as the user named it, for messages. */
    public String describe() {
        return storage.describe();
    }

    /** The archived files in log order. */
    synchronized List<FileManifest> files() throws ArchiveException {
        if (files == null || System.nanoTime() - loadedAt > REFRESH_NANOS) {
            files = ArchivedFiles.list(storage);
            loadedAt = System.nanoTime();
        }
        return files;
    }

    /** The archived file {@code name}; null when the archive has none. */
    FileManifest file(String name) throws ArchiveException {
        for (FileManifest m : files()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        // The index is rewritten after each manifest: a file archived a moment ago may be missing from it.
        return ArchivedFiles.manifest(storage, name);
    }

    /** {@code name}'s bytes from its start; a dropped connection is resumed where it broke off. */
    InputStream open(String name) {
        return new ResumingStream(offset -> {
            try {
                return storage.stream(name, offset);
            } catch (ArchiveException e) {
                throw new IOException(e.getMessage(), e);
            }
        }, 0, storage.describe() + "/" + name);
    }
}
