package io.binlogbridge.core.gtid;

import static io.binlogbridge.core.gtid.MySqlGtidSetTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbGtidTest {

    @Test
    void gtidParseAndFormat() {
        MariaDbGtid g = MariaDbGtid.parse("0-1-100");
        assertEquals(new MariaDbGtid(0, 1, 100), g);
        assertEquals("0-1-100", g.toString());
        MariaDbGtid max = MariaDbGtid.parse("4294967295-4294967295-18446744073709551615");
        assertEquals(-1L, max.seqNo());
        assertEquals("4294967295-4294967295-18446744073709551615", max.toString());
        assertTrue(g.compareSeqNo(max) < 0);
    }

    @Test
    void gtidRejectsMalformed() {
        for (String bad : new String[] {"", "0-1", "0-1-2-3", "a-1-2", "0--2", "-0-1-2", "0-1-+2",
                "4294967296-1-1", "0-4294967296-1", "0-1-18446744073709551616", "0-1-1x"}) {
            assertThrows(IllegalArgumentException.class, () -> MariaDbGtid.parse(bad), bad);
        }
    }

    @Test
    void positionParseFormatSorted() {
        MariaDbGtidPosition p = MariaDbGtidPosition.parse(" 1-2-5 ,0-1-100");
        assertEquals("0-1-100,1-2-5", p.toString());
        assertEquals(p, MariaDbGtidPosition.parse(p.toString()));
        assertEquals(p.hashCode(), MariaDbGtidPosition.parse(p.toString()).hashCode());
        assertEquals(List.of(new MariaDbGtid(0, 1, 100), new MariaDbGtid(1, 2, 5)), p.gtids());
        assertTrue(MariaDbGtidPosition.parse("").isEmpty());
        assertSame(MariaDbGtidPosition.empty(), MariaDbGtidPosition.parse(" "));
        assertEquals("", MariaDbGtidPosition.empty().toString());
    }

    @Test
    void positionRejectsDuplicateDomainAndGarbage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MariaDbGtidPosition.parse("0-1-100,0-2-5"));
        assertTrue(e.getMessage().contains("domain 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("0-1-100;1-2-3"));
    }

    @Test
    void positionWithGetContains() {
        MariaDbGtidPosition p = MariaDbGtidPosition.parse("0-1-100");
        MariaDbGtidPosition q = p.with(new MariaDbGtid(0, 2, 101)).with(new MariaDbGtid(5, 1, 1)).with(new MariaDbGtid(2, 1, 7));
        assertEquals("0-1-100", p.toString());
        assertEquals("0-2-101,2-1-7,5-1-1", q.toString());
        assertEquals(new MariaDbGtid(2, 1, 7), q.get(2));
        assertNull(q.get(3));
        assertSame(q, q.with(new MariaDbGtid(2, 1, 7)));

        assertTrue(p.contains(new MariaDbGtid(0, 1, 100)));
        assertTrue(p.contains(new MariaDbGtid(0, 9, 50)));   // server id does not matter
        assertFalse(p.contains(new MariaDbGtid(0, 1, 101)));
        assertFalse(p.contains(new MariaDbGtid(1, 1, 1)));
        // seq_no is unsigned: 2^63 is after 100, not before.
        assertFalse(p.contains(MariaDbGtid.parse("0-1-9223372036854775808")));
        assertTrue(MariaDbGtidPosition.parse("0-1-18446744073709551615").contains(new MariaDbGtid(0, 1, 5)));
    }

    @Test
    void decodesGtidListFromHandBuiltBytes() {
        // count=3 with flag bits 0x1 in the top nibble: 0x10000003.
        byte[] body = bytes(
                "03 00 00 10",
                "00 00 00 00", "01 00 00 00", "64 00 00 00 00 00 00 00",   // 0-1-100
                "00 00 00 00", "02 00 00 00", "6e 00 00 00 00 00 00 00",   // 0-2-110
                "07 00 00 00", "8c 27 00 00", "00 0e 00 00 00 00 00 00",   // 7-10124-3584
                "a8 f0 d8 b6");                                            // checksum, ignored
        MariaDbGtidList l = MariaDbGtidList.decode(body, 0, body.length);
        assertEquals(1, l.flags());
        assertEquals(3, l.gtids().size());
        assertEquals("0-1-100,0-2-110,7-10124-3584", l.toString());
        assertEquals("0-2-110,7-10124-3584", l.toPosition().toString());
        assertEquals(l, MariaDbGtidList.decode(body, 0, body.length - 4));
    }

    @Test
    void decodesMariaDbDocumentationGtidListEvent() {
        // mariadb-binlog: "Gtid list [0-10124-3584]", event with header and CRC32.
        byte[] event = bytes(
                "a4 85 9e 59 a3 8c 27 00 00 2b 00 00 00 24 01 00",
                "00 00 00 01 00 00 00 00 00 00 00 8c 27 00 00 00",
                "0e 00 00 00 00 00 00 a8 f0 d8 b6");
        MariaDbGtidList l = MariaDbGtidList.decode(event, 19, event.length - 19 - 4);
        assertEquals("0-10124-3584", l.toString());
        assertEquals(0, l.flags());
    }

    @Test
    void gtidListRejectsTruncatedBody() {
        byte[] body = bytes("02 00 00 00", "00 00 00 00 01 00 00 00 64 00 00 00 00 00 00 00");
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidList.decode(body, 0, body.length));
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidList.decode(body, 0, 3));
        assertEquals("", MariaDbGtidList.decode(new byte[4], 0, 4).toString());
    }

    @Test
    void readsMariaDbGtidEvent() {
        // Header: server_id 0x2710 (10000) at bytes 5..8; body: seq_no=0x1234, domain=3, flags2=FL_STANDALONE.
        byte[] event = bytes(
                "00 00 00 00 a2 10 27 00 00 26 00 00 00 00 00 00 00 00 00",
                "34 12 00 00 00 00 00 00", "03 00 00 00", "01",
                "00 00 00 00 00 00");
        MariaDbGtid g = MariaDbGtid.fromGtidEvent(event, 0);
        assertEquals(new MariaDbGtid(3, 10000, 0x1234), g);
        assertEquals("3-10000-4660", g.toString());
        assertEquals(g, MariaDbGtid.fromGtidEventBody(event, 19, 10000));
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtid.fromGtidEventBody(event, event.length - 5, 1));
    }

    @Test
    void aPositionCoversAnotherWhenItIsAtOrPastItInEveryDomain() {
        MariaDbGtidPosition replica = MariaDbGtidPosition.parse("0-1-10,1-2-5");
        assertTrue(replica.covers(MariaDbGtidPosition.empty()));
        assertTrue(replica.covers(MariaDbGtidPosition.parse("0-7-10")));
        assertTrue(replica.covers(MariaDbGtidPosition.parse("0-1-9,1-2-5")));
        assertFalse(replica.covers(MariaDbGtidPosition.parse("0-1-11")));
        assertFalse(replica.covers(MariaDbGtidPosition.parse("2-1-1")), "a domain the replica lacks");
    }

    @Test
    void aGtidListBecomesThePositionOfItsHighestSequencePerDomain() {
        assertEquals(MariaDbGtidPosition.parse("0-2-12,1-3-4"), ExecutedGtids.mariaDbPosition("0-1-10,0-2-12,1-3-4"));
        assertTrue(ExecutedGtids.mariaDbPosition("").isEmpty());
    }
}
