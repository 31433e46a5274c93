package io.binlogbridge.server.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    @Test
    void badFileIsAnOptionErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "repl:x\n# c\nnocolon\n");
        OptionException e = assertThrows(OptionException.class, () -> UsersFile.load(file));
        assertEquals("users file " + file + " line 3: expected name:secret[:privileges]", e.getMessage());
    }

    @Test
    void missingFileIsAnOptionError(@TempDir Path dir) {
        OptionException e = assertThrows(OptionException.class, () -> UsersFile.load(dir.resolve("absent")));
        assertTrue(e.getMessage().startsWith("cannot read users file "), e.getMessage());
    }
}
