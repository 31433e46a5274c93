package io.binlogbridge.replayer.archive;

/**
 * Names inside the archive: {@code NAME} (the binlog file, as the replayer presents it), {@code manifest/NAME.json}
 * (written after it) and {@code index.json} (every archived file, rewritten after each). The manifests live in a
 * directory of their own so that {@code mysqlbinlog DEST/binlog.*} sees binlog files only.
 */
final class ArchiveLayout {
    static final String MANIFEST_DIR = "manifest";
    static final String INDEX = "index.json";

    private ArchiveLayout() {}

    static String manifest(String fileName) {
        return MANIFEST_DIR + "/" + fileName + ".json";
    }
}
