package io.binlogbridge.replayer.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStorageTest {
    @TempDir
    Path dir;

    @Test
    void anObjectAppearsUnderItsNameOnlyWhenComplete() throws Exception {
        DirectoryStorage storage = new DirectoryStorage(dir);
        storage.check();
        byte[] data = "binlog bytes".getBytes(StandardCharsets.UTF_8);
        try (ArchiveStorage.Upload upload = storage.upload("binlog.000001")) {
            upload.write(data, 0, 6);
            assertEquals(-1, storage.size("binlog.000001"));
            upload.write(data, 6, data.length - 6);
            upload.complete();
        }
        assertEquals(data.length, storage.size("binlog.000001"));
        assertArrayEquals(data, storage.read("binlog.000001"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")));
        }
    }

    @Test
    void anUnfinishedObjectLeavesNothingUnderItsNameAndIsRemovedNextRun() throws Exception {
        DirectoryStorage storage = new DirectoryStorage(dir);
        storage.check();
        ArchiveStorage.Upload abandoned = storage.upload("binlog.000002");
        abandoned.write(new byte[100], 0, 100);
        // As after kill -9: the temporary file stays, the name holds nothing.
        assertEquals(-1, storage.size("binlog.000002"));
        assertNull(storage.read("binlog.000002"));
        assertTrue(Files.exists(dir.resolve(".binlog.000002.partial")));
        storage.removeIncomplete();
        assertTrue(Files.notExists(dir.resolve(".binlog.000002.partial")));

        try (ArchiveStorage.Upload discarded = storage.upload("binlog.000003")) {
            discarded.write(new byte[10], 0, 10);
        }
        assertTrue(Files.notExists(dir.resolve(".binlog.000003.partial")));
        assertEquals(-1, storage.size("binlog.000003"));
    }

    @Test
    void manifestsGoInTheirOwnDirectory() throws Exception {
        DirectoryStorage storage = new DirectoryStorage(dir);
        storage.check();
        storage.write(ArchiveLayout.manifest("binlog.000001"), "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(dir.resolve("manifest/binlog.000001.json")));
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        ArchiveException e = assertThrows(ArchiveException.class, () -> new DirectoryStorage(file.resolve("archive")).check());
        assertTrue(e.getMessage().startsWith("archive directory " + file.resolve("archive") + " is not writable"), e.getMessage());
    }
}
