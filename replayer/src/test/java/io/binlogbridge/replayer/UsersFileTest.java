package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.replayer.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersFileTest {
    @Test
    void parsesUsersSkippingBlanksAndComments() {
        Map<String, String> users = UsersFile.parse(List.of("# replicas", "", "repl:secret", "  ", "cdc:pa:ss word", "empty:"), "u");
        assertEquals(Map.of("repl", "secret", "cdc", "pa:ss word", "empty", ""), users);
    }

    @Test
    void malformedLineNamesItsNumber() {
        ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.parse(List.of("repl:x", "# c", "nocolon"), "users.txt"));
        assertEquals("users file users.txt line 3: expected user:password", e.getMessage());
        assertThrows(ConfigException.class, () -> UsersFile.parse(List.of(":pw"), "u"));
        assertThrows(ConfigException.class, () -> UsersFile.parse(List.of("a:1", "a:2"), "u"));
    }
}
