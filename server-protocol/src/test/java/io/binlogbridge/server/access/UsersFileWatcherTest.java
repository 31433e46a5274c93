package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileWatcherTest {
    static final String SHA2 = StoredSecret.CachingSha2Hash.of("pw").toString();

    @Test
    void aChangedFileReplacesTheAccountsAndABadOneIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "a:" + SHA2 + "\n");
        try (UsersFileWatcher w = UsersFileWatcher.load(file)) {
            assertNotNull(w.get().get("a"));
            w.reloadIfChanged();
            assertNotNull(w.get().get("a"));

            Files.writeString(file, "b:" + SHA2 + ":monitor\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            w.reloadIfChanged();
            assertNull(w.get().get("a"));
            assertEquals(Grants.parse("monitor"), w.get().get("b").grants());

            Files.writeString(file, "broken\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            w.reloadIfChanged();
            assertNotNull(w.get().get("b"), "a file that does not parse leaves the loaded accounts in use");
        }
    }

    @Test
    void reloadReadsTheFileEvenWhenItLooksUnchanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "a:" + SHA2 + "\n");
        FileTime mtime = Files.getLastModifiedTime(file);
        try (UsersFileWatcher w = UsersFileWatcher.load(file)) {
            Files.writeString(file, "b:" + SHA2 + "\n");
            Files.setLastModifiedTime(file, mtime);
            w.reload();
            assertNotNull(w.get().get("b"));
        }
    }
}
