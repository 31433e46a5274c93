package io.binlogbridge.replayer.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.replayer.log.TestLogs;
import org.junit.jupiter.api.Test;

class RotateRewriterTest {

    @Test
    void aRenamedRotateIsTheRotateTheSourceWouldHaveWrittenForTheNewName() {
        for (boolean checksum : new boolean[] {true, false}) {
            for (String to : new String[] {"binlog.000005", "binlog.000000000005", "b.5"}) {
                byte[] source = TestLogs.rotateEvent("mysql-bin.000008", 1000, checksum);
                byte[] framed = new byte[source.length + 10];
                System.arraycopy(source, 0, framed, 7, source.length);

                byte[] renamed = RotateRewriter.rewrite(framed, 7, source.length, to, checksum);

                assertArrayEquals(TestLogs.rotateEvent(to, 1000, checksum), renamed, to);
                assertEquals(renamed.length, EventHeader.eventSize(renamed, 0));
                assertEquals(1000 + renamed.length, EventHeader.logPos(renamed, 0));
                assertEquals(to, RotateEvent.fileName(renamed, 0,
                        checksum ? BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32 : BinlogConstants.BINLOG_CHECKSUM_ALG_OFF));
                assertEquals(4, RotateEvent.position(renamed, 0));
                if (checksum) {
                    assertTrue(ChecksumAlgorithms.verify(renamed, 0, renamed.length));
                }
            }
        }
    }

    @Test
    void anArtificialRotateKeepsLogPosZero() {
        byte[] fake = ArtificialEvents.fakeRotate(3, "mysql-bin.000008", 4, true);
        byte[] renamed = RotateRewriter.rewrite(fake, 0, fake.length, "binlog.000005", true);
        assertArrayEquals(ArtificialEvents.fakeRotate(3, "binlog.000005", 4, true), renamed);
    }
}
