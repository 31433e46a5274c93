package io.binlogbridge.replayer.archive;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every closed file of the log into the archive, each once. A file is closed once the log holds a later one;
 * the last file is still being written and waits. Per file: the data (as a temporary file renamed, or a multipart
 * upload completed), then its manifest, then the index; a file counts as archived only when its manifest exists and
 * matches the object, so a run killed at any point is finished by the next one and nothing complete goes up twice.
 */
final class Archiver {
    private static final Logger log = LoggerFactory.getLogger(Archiver.class);
    /** Consumer fetch size: with one record in decoding, most of the archiver's memory besides one upload part. */
    static final int FETCH_BYTES = 8 << 20;

    private final LogIndex logIndex;
    private final LogConsumers consumers;
    private final ArchiveStorage storage;
    private final Set<String> archived = new HashSet<>();
    private final Set<String> reportedNotWhole = new HashSet<>();
    private ArchiveIndex index;

    Archiver(LogIndex logIndex, LogConsumers consumers, ArchiveStorage storage) {
        this.logIndex = logIndex;
        this.consumers = consumers;
        this.storage = storage;
    }

    /** Checks the archive, then {@link #resume()}; called before each (re)start. */
    void prepare() throws ArchiveException {
        storage.check();
        resume();
    }

    /** For an archive already checked: removes what a killed run left half-written and reads the index. */
    void resume() throws ArchiveException {
        storage.removeIncomplete();
        index = ArchiveIndex.load(storage);
    }

    /**
     * Archives every closed file not archived yet.
     *
     * @return the number of files copied now
     */
    int archiveClosedFiles() throws ArchiveException, InterruptedException {
        List<IndexedFile> files = logIndex.files();
        LogIndex.LogStart start = logIndex.logStart();
        int first = start.file() == null ? 0 : files.indexOf(start.file());
        int copied = 0;
        boolean indexChanged = false;
        KafkaConsumer<byte[], byte[]> consumer = null;
        try {
            for (int i = 0; i + 1 < files.size(); i++) {
                IndexedFile file = files.get(i);
                if (archived.contains(file.name())) {
                    continue;
                }
                if (i < first || (i == first && start.position() > BinlogConstants.BIN_LOG_HEADER_SIZE) || file.header() == null) {
                    notWhole(file, "the log does not hold it from its start");
                    continue;
                }
                FileManifest existing = ArchivedFiles.completeCopy(storage, logIndex, file);
                if (existing != null) {
                    archived.add(file.name());
                    indexChanged |= index.put(existing);
                    continue;
                }
                if (consumer == null) {
                    consumer = consumers.open("binlog-bridge-archiver", FETCH_BYTES);
                }
                FileManifest manifest = copy(new FileCopier(consumer, consumers.partition(), logIndex), file, files.get(i + 1).firstOffset());
                if (manifest != null) {
                    archived.add(file.name());
                    index.put(manifest);
                    index.write(storage);
                    indexChanged = false;
                    copied++;
                }
            }
        } finally {
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(java.time.Duration.ofSeconds(1)));
            }
        }
        if (indexChanged) {
            index.write(storage);
        }
        return copied;
    }

    /** Data first, then the manifest: null when the topic does not hold the file whole. */
    private FileManifest copy(FileCopier copier, IndexedFile file, long endOffset) throws ArchiveException, InterruptedException {
        long began = System.nanoTime();
        FileManifest manifest;
        try (ArchiveStorage.Upload upload = storage.upload(file.name())) {
            manifest = copier.copy(file, endOffset, upload);
            upload.complete();
        } catch (FileCopier.NotWholeException e) {
            notWhole(file, e.getMessage());
            return null;
        }
        storage.write(ArchiveLayout.manifest(file.name()), ArchiveIndex.toJson(manifest));
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        log.info("archived {} ({} bytes, sha256 {}) to {} in {} ms ({} MB/s)", file.name(), manifest.size(), manifest.sha256(),
                storage.describe(), millis, String.format("%.1f", manifest.size() / 1e6 / (millis / 1e3)));
        return manifest;
    }

    private void notWhole(IndexedFile file, String why) {
        if (reportedNotWhole.add(file.name())) {
            log.warn("not archiving {}: {}", file.name(), why);
        }
    }
}
