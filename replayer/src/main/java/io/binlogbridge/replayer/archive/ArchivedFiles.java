package io.binlogbridge.replayer.archive;

import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import java.util.List;

/**
 * Whether the archive holds a file of the log complete: its manifest is present, describes this file, and agrees with
 * the file's size in the log and with the archived object's. The archiver skips such files; a purge with an archive
 * drops only such files.
 */
public final class ArchivedFiles {
    private ArchivedFiles() {}

    /**
     * The manifest of {@code file}'s complete copy in {@code storage}; null when there is none (not archived yet, or
     * only partly).
     *
     * @throws ArchiveException when the archive's manifest of that name describes another file (another log's archive)
     */
    public static FileManifest completeCopy(ArchiveStorage storage, LogIndex logIndex, IndexedFile file) throws ArchiveException {
        FileManifest existing = ArchiveIndex.readManifest(storage, file.name());
        if (existing == null) {
            return null;
        }
        if (!existing.describes(file.name(), file.term(), file.sourceName())) {
            throw new ArchiveException(storage.describe() + "/" + ArchiveLayout.manifest(file.name()) + " describes "
                    + existing.sourceName() + " of term " + existing.term() + ", but this log's " + file.name() + " is "
                    + file.sourceName() + " of term " + file.term() + ": is " + storage.describe() + " another log's archive?");
        }
        boolean complete = existing.size() == logIndex.presentedSize(file) && storage.size(file.name()) == existing.size();
        return complete ? existing : null;
    }

    /** The archive's files in log order, as its index lists them (files the topic no longer holds included). */
    public static List<FileManifest> list(ArchiveStorage storage) throws ArchiveException {
        return ArchiveIndex.load(storage).files();
    }

    /** The manifest of {@code name}, or null when the archive has none (the authority when the index is behind). */
    public static FileManifest manifest(ArchiveStorage storage, String name) throws ArchiveException {
        return ArchiveIndex.readManifest(storage, name);
    }
}
