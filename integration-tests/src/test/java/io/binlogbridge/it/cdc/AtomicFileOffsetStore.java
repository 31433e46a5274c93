package io.binlogbridge.it.cdc;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * Kafka Connect's file offset store, saved atomically. Connect's own writes the file in place, so a Debezium JVM
 * killed with SIGKILL while saving leaves a torn file, and the restart fails on it ("unexpected EOF in middle of data
 * block") instead of resuming: that is the store's weakness, not what the kill tests look at. Here a save goes to a
 * temporary file that replaces the old one in one rename, so a kill leaves the previous offsets or the new ones, as a
 * worker's Kafka-backed store would. Same file format, so Connect's loading reads it.
 */
public final class AtomicFileOffsetStore extends FileOffsetBackingStore {
    private Path file;

    public AtomicFileOffsetStore() {
        super(keyConverter());
    }

    private static JsonConverter keyConverter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        return converter;
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
    }

    @Override
    protected void save() {
        Map<byte[], byte[]> raw = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
            raw.put(e.getKey() == null ? null : e.getKey().array(), e.getValue() == null ? null : e.getValue().array());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(temporary))) {
                out.writeObject(raw);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the offsets to " + file + " failed", e);
        }
    }
}
