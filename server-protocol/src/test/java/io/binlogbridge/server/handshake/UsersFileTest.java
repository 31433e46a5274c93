package io.binlogbridge.server.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.config.OptionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersFileTest {
    @Test
    void parsesUsersSkippingBlanksAndComments() throws Exception {
        Map<String, String> users = UsersFile.parse(List.of("# replicas", "", "repl:secret", "  ", "cdc:pa:ss word", "empty:"), "u");
        assertEquals(Map.of("repl", "secret", "cdc", "pa:ss word", "empty", ""), users);
    }

    @Test
    void malformedLineNamesItsNumber() {
        OptionException e = assertThrows(OptionException.class, () -> UsersFile.parse(List.of("repl:x", "# c", "nocolon"), "users.txt"));
        assertEquals("users file users.txt line 3: expected user:password", e.getMessage());
        assertThrows(OptionException.class, () -> UsersFile.parse(List.of(":pw"), "u"));
        assertThrows(OptionException.class, () -> UsersFile.parse(List.of("a:1", "a:2"), "u"));
    }
}
