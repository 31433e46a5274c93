package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

class GtidStateTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void mysqlStateIsASetWithHoles() {
        GtidState s = GtidState.of(Flavor.MYSQL, UUID + ":1-3:5");
        assertTrue(s.contains(UUID + ":2"));
        assertFalse(s.contains(UUID + ":4"));
        s.add(UUID + ":4");
        assertEquals(UUID + ":1-5", s.text());
        assertTrue(s.covers(UUID + ":1-5"));
        assertFalse(s.covers(UUID + ":1-6"));
    }

    @Test
    void mariaDbStateOnlyMovesForwardPerDomain() {
        GtidState s = GtidState.of(Flavor.MARIADB, "0-1-9");
        assertTrue(s.contains("0-1-1"));
        s.add("0-1-1");
        assertEquals("0-1-9", s.text(), "passing an older transaction keeps the start's position");
        assertFalse(s.contains("0-1-10"));
        assertFalse(s.contains("1-1-1"), "a domain the position lacks is read from its start");
        s.add("0-1-10");
        s.add("1-2-3");
        assertEquals("0-1-10,1-2-3", s.text());
        assertTrue(s.covers("0-1-10,0-2-4,1-2-3"), "a GTID list: several servers of one domain");
        assertFalse(s.covers("0-1-11"));
    }
}
