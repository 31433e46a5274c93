package io.binlogbridge.replayer.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json}: the manifests of every archived file in log order, rewritten after each file. Files an
 * earlier run archived stay listed after the topic dropped them (purge): the archive outlives the topic. The
 * manifests stay the authority; the index is their summary, rebuilt from them when a run finds it behind.
 */
final class ArchiveIndex {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The document: a version for readers and the files. */
    record Document(int version, List<FileManifest> files) {}

    private final Map<String, FileManifest> files = new LinkedHashMap<>();

    static ArchiveIndex load(ArchiveStorage storage) throws ArchiveException {
        ArchiveIndex index = new ArchiveIndex();
        byte[] bytes = storage.read(ArchiveLayout.INDEX);
        if (bytes != null) {
            try {
                for (FileManifest m : JSON.readValue(bytes, Document.class).files()) {
                    index.files.put(m.name(), m);
                }
            } catch (IOException e) {
                throw new ArchiveException(storage.describe() + "/" + ArchiveLayout.INDEX + " is not an archive index: " + e.getMessage(), e);
            }
        }
        return index;
    }

    static FileManifest readManifest(ArchiveStorage storage, String name) throws ArchiveException {
        byte[] bytes = storage.read(ArchiveLayout.manifest(name));
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readValue(bytes, FileManifest.class);
        } catch (IOException e) {
            // A manifest is written whole or not at all; one that does not parse was not written by the archiver.
            throw new ArchiveException(storage.describe() + "/" + ArchiveLayout.manifest(name) + " is not a manifest: " + e.getMessage(), e);
        }
    }

    static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records {@code manifest}; returns true when the index changed (and must be written). */
    boolean put(FileManifest manifest) {
        FileManifest old = files.put(manifest.name(), manifest);
        return old == null || !old.sha256().equals(manifest.sha256()) || old.size() != manifest.size();
    }

    List<FileManifest> files() {
        return new ArrayList<>(files.values());
    }

    void write(ArchiveStorage storage) throws ArchiveException {
        storage.write(ArchiveLayout.INDEX, toJson(new Document(1, files())));
    }
}
