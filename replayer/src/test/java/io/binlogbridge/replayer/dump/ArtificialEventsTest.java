package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_CHECKSUM_LEN;
import static io.binlogbridge.core.binlog.BinlogConstants.HEARTBEAT_LOG_EVENT;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_HEADER_LEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArtificialEventsTest {

    static String name(byte[] e, boolean checksum) {
        int end = e.length - (checksum ? BINLOG_CHECKSUM_LEN : 0);
        return new String(Arrays.copyOfRange(e, LOG_EVENT_HEADER_LEN, end), StandardCharsets.UTF_8);
    }

    @Test
    void heartbeatBeforeRotateRepeatsAFilePositionRequest() {
        byte[] e = ArtificialEvents.heartbeatBeforeRotate(7, "binlog.000001", 1234, true);
        assertEquals(HEARTBEAT_LOG_EVENT, EventHeader.type(e, 0));
        assertEquals(e.length, EventHeader.eventSize(e, 0));
        assertEquals(7, EventHeader.serverId(e, 0));
        assertEquals("binlog.000001", name(e, true));
        assertEquals(1234, EventHeader.logPos(e, 0));
        assertTrue(ChecksumAlgorithms.verify(e, 0, e.length));
    }

    @Test
    void heartbeatBeforeRotateOfARequestWithoutANameCarriesTheNamesTerminator() {
        // COM_BINLOG_DUMP_GTID from a MySQL replica: no name, position 4. MariaDB refuses a nameless heartbeat, and
        // one below position 4.
        for (long requested : new long[] {4, 0}) {
            for (String file : new String[] {"", null}) {
                byte[] e = ArtificialEvents.heartbeatBeforeRotate(7, file, requested, false);
                assertEquals(LOG_EVENT_HEADER_LEN + 1, e.length);
                assertEquals("\0", name(e, false));
                assertEquals(4, EventHeader.logPos(e, 0));
            }
        }
    }
}
