package io.binlogbridge.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.core.protocol.MySqlConstants;
import org.junit.jupiter.api.Test;

class UserConnectionsTest {
    @Test
    void ownLimitReplacesTheServersAndReleasesFreeSlots() {
        UserConnections c = new UserConnections(1);
        assertNull(c.acquire("a", 3));
        assertNull(c.acquire("a", 3));
        assertNull(c.acquire("a", 3), "the user's own 3 beats the server's 1");
        UserConnections.Refusal r = c.acquire("a", 3);
        assertEquals(MySqlConstants.ER_USER_LIMIT_REACHED, r.code());
        assertEquals("User 'a' has exceeded the 'max_user_connections' resource (current value: 3)", r.message());
        assertEquals(3, c.count("a"));
        c.release("a");
        assertNull(c.acquire("a", 3));
    }

    @Test
    void serverLimitAppliesToUsersWithoutTheirOwn() {
        UserConnections c = new UserConnections(1);
        assertNull(c.acquire("b", 0));
        assertEquals(MySqlConstants.ER_TOO_MANY_USER_CONNECTIONS, c.acquire("b", 0).code());
        assertNull(c.acquire("c", 0), "per user");
        c.release("b");
        assertEquals(0, c.count("b"));
    }

    @Test
    void zeroIsUnlimited() {
        UserConnections c = UserConnections.unlimited();
        for (int i = 0; i < 1000; i++) {
            assertNull(c.acquire("d", 0));
        }
        assertEquals(1000, c.count("d"));
    }
}
