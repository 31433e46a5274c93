package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Start positions survive being stored as text, as a reader's caller keeps them. */
class PositionTextTest {
    @Test
    void everyStartRoundTrips() {
        for (StartPosition p : new StartPosition[] {StartPosition.beginning(), StartPosition.gtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7"),
                StartPosition.gtidSet("0-1-100,1-2-7"), StartPosition.filePosition("binlog.000003", 4711),
                StartPosition.timestamp(Instant.parse("2026-12-02T14:00:00Z")),
                StartPosition.resume(new ReaderPosition(42, "MYSQL", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9", 1, 2, "binlog.000001", "binlog.000004")),
                StartPosition.resume(new ReaderPosition(0, null, null, 0, 0, null, null))}) {
            assertEquals(p, StartPosition.parse(p.toString()), p.toString());
        }
    }

    @Test
    void textThatIsNoPositionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("latest"));
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("file:binlog.000001"));
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("resume:gtids=x"));
        assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("resume:offset=1;flavor=POSTGRES"));
    }
}
