package io.binlogbridge.core.gtid;

import static io.binlogbridge.core.gtid.MySqlGtidSetTest.A;
import static io.binlogbridge.core.gtid.MySqlGtidSetTest.UA;
import static io.binlogbridge.core.gtid.MySqlGtidSetTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MySqlGtidTest {

    @Test
    void parseAndFormat() {
        MySqlGtid g = MySqlGtid.parse(" 3E11FA47-71CA-11E1-9E33-C80AA9429562:23 ");
        assertEquals(UA, g.uuid());
        assertEquals(23, g.gno());
        assertEquals(A + ":23", g.toString());
        assertEquals(g, MySqlGtid.parse(g.toString()));
    }

    @Test
    void rejectsMalformed() {
        for (String bad : new String[] {"", A, A + ":", A + ":0", A + ":-1", A + ":1-5", "x:1",
                A + ":9223372036854775807", A + ":1x"}) {
            assertThrows(IllegalArgumentException.class, () -> MySqlGtid.parse(bad), bad);
        }
    }

    @Test
    void readsGtidLogEvent() {
        // Header (19 bytes, type 33), body: flags=01, sid, gno=0x0102 LE, then last_committed etc.
        byte[] event = bytes(
                "00 00 00 00 21 01 00 00 00 3d 00 00 00 00 00 00 00 00 00",
                "01",
                "3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62",
                "02 01 00 00 00 00 00 00",
                "02 00 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00");
        MySqlGtid g = MySqlGtid.fromGtidEvent(event, 0);
        assertEquals(new MySqlGtid(UA, 0x0102), g);
        assertEquals(g, MySqlGtid.fromGtidEventBody(event, 19));
        assertThrows(IllegalArgumentException.class, () -> MySqlGtid.fromGtidEventBody(event, event.length - 10));
    }

    @Test
    void rejectsAnonymousGtidEvent() {
        byte[] body = new byte[25];
        assertThrows(IllegalArgumentException.class, () -> MySqlGtid.fromGtidEventBody(body, 0));
    }
}
