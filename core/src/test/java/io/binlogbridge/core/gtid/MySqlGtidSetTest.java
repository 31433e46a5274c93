package io.binlogbridge.core.gtid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MySqlGtidSetTest {

    static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String B = "8e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String C = "f0000000-0000-0000-0000-000000000001";
    static final UUID UA = UUID.fromString(A);
    static final UUID UB = UUID.fromString(B);
    static final UUID UC = UUID.fromString(C);

    static MySqlGtidSet set(String s) {
        return MySqlGtidSet.parse(s);
    }

    // ------------------------------------------------------------ text

    @Test
    void parsesMySqlDocumentationExample() {
        MySqlGtidSet s = set("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5");
        assertEquals(A + ":1-5", s.toString());
        assertTrue(s.contains(UA, 1));
        assertTrue(s.contains(UA, 5));
        assertFalse(s.contains(UA, 6));
        assertFalse(s.contains(UA, 0));
    }

    @Test
    void roundTripsCanonicalText() {
        for (String t : new String[] {
                "", A + ":1", A + ":1-5:7:9-12", A + ":1-5:7," + B + ":1-3",
                A + ":1-3:11:47-49," + B + ":1-19," + C + ":9223372036854775806"}) {
            assertEquals(t, set(t).toString());
            assertEquals(set(t), set(set(t).toString()));
        }
    }

    @Test
    void emptyAndBlankAreEmpty() {
        assertTrue(set("").isEmpty());
        assertTrue(set("  \n ").isEmpty());
        assertTrue(set(",, ,").isEmpty());
        assertSame(MySqlGtidSet.empty(), set(""));
        assertEquals("", MySqlGtidSet.empty().toString());
    }

    @Test
    void toleratesWhitespaceAndNewlinesAsMySqlPrintsThem() {
        String printed = A + ":1-5,\n" + B + ":1-3";
        MySqlGtidSet s = set(printed);
        assertEquals(A + ":1-5," + B + ":1-3", s.toString());
        assertEquals(printed, s.toServerString());
        assertEquals(s, set("  " + A + " : 1 - 5 ,\n\t" + B.toUpperCase() + ":1-3 , "));
    }

    @Test
    void sortsUuidsByTextNotBySignedValue() {
        // UUID.compareTo would put f… (negative msb) first.
        MySqlGtidSet s = set(C + ":1," + B + ":2," + A + ":3");
        assertEquals(A + ":3," + B + ":2," + C + ":1", s.toString());
    }

    @Test
    void mergesUnsortedOverlappingAndAdjacentInput() {
        assertEquals(A + ":1-12", set(A + ":9-12:1-5:6:7-8").toString());
        assertEquals(A + ":1-10", set(A + ":1-5:3-10:4").toString());
        assertEquals(A + ":1-3:5", set(A + ":5," + A + ":1-2:3").toString());
        assertEquals(A + ":1-5:7-9", set(A + ":7-9:1-5").toString());
    }

    @Test
    void uuidWithoutIntervalsAddsNothing() {
        assertEquals(B + ":1", set(A + "," + B + ":1").toString());
    }

    @Test
    void rejectsMalformedInputNamingThePart() {
        assertBad(A + ":1-5,zzz:3", "zzz:3");
        assertBad(A + ":1-5,3E11FA47-71CA-11E1-9E33-C80AA942956X:1", "C80AA942956X");
        assertBad(A + ":0", "out of range");
        assertBad(A + ":", "expected a transaction number");
        assertBad(A + ":1-", "expected a transaction number");
        assertBad(A + ":a", "tagged");
        assertBad(A + ":tag:1-5", "tagged");
        assertBad(A + ":5-1", "before its start");
        assertBad(A + ":1;2", "expected ':' or ','");
        assertBad(A + ":9223372036854775807", "out of range");
        assertBad(A + ":99999999999999999999", "out of range");
        assertBad(A + " 1", "expected ':' or ','");
        assertBad("3e11fa47-71ca-11e1-9e33-c80aa942956:1", "UUID");
        assertBad("3e11fa4771ca11e19e33c80aa9429562aaaa:1", "UUID");
        assertThrows(NullPointerException.class, () -> set(null));
    }

    private static void assertBad(String text, String expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set(text), text);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    // ------------------------------------------------------------ algebra

    @Test
    void unionMergesAdjacentIntervals() {
        assertEquals(set(A + ":1-9"), set(A + ":1-5").union(set(A + ":6-9")));
        assertEquals(set(A + ":1-5:7-9"), set(A + ":1-5").union(set(A + ":7-9")));
        assertEquals(set(A + ":1-20"), set(A + ":1-5:10-20").union(set(A + ":3-12")));
        assertEquals(set(A + ":1-5," + B + ":1"), set(A + ":1-5").union(set(B + ":1")));
        assertEquals(set(A + ":1-3:5-7:9-11"), set(A + ":1-3:9-11").union(set(A + ":5-7")));
        MySqlGtidSet s = set(A + ":1-5");
        assertSame(s, s.union(MySqlGtidSet.empty()));
        assertSame(s, MySqlGtidSet.empty().union(s));
    }

    @Test
    void subtractSplitsAndDropsEmptiedUuids() {
        assertEquals(set(A + ":1-4:6-10"), set(A + ":1-10").subtract(set(A + ":5")));
        assertEquals(set(A + ":3-4:8-10"), set(A + ":1-10").subtract(set(A + ":1-2:5-7:11-20")));
        assertEquals(set(B + ":1"), set(A + ":1-10," + B + ":1").subtract(set(A + ":1-10")));
        assertTrue(set(A + ":1-10").subtract(set(A + ":1-100")).isEmpty());
        // One subtrahend interval spanning several of ours.
        assertEquals(set(A + ":1:20"), set(A + ":1-3:5-7:9-11:15-20").subtract(set(A + ":2-19")));
        // Nothing in common: the same instance comes back.
        MySqlGtidSet s = set(A + ":1-5:10");
        assertSame(s, s.subtract(set(A + ":6-9:11-20," + B + ":1-5")));
        assertSame(s, s.subtract(MySqlGtidSet.empty()));
    }

    @Test
    void containsSets() {
        MySqlGtidSet big = set(A + ":1-10:20-30," + B + ":1-5");
        assertTrue(big.contains(MySqlGtidSet.empty()));
        assertTrue(big.contains(big));
        assertTrue(big.contains(set(A + ":1-10")));
        assertTrue(big.contains(set(A + ":2:25-30," + B + ":5")));
        assertFalse(big.contains(set(A + ":10-11")));
        assertFalse(big.contains(set(A + ":9-21")));
        assertFalse(big.contains(set(C + ":1")));
        assertFalse(MySqlGtidSet.empty().contains(set(A + ":1")));
        assertTrue(set(A + ":1-5").union(set(A + ":6-9")).contains(set(A + ":5-6")));
    }

    @Test
    void containsSingleGtids() {
        MySqlGtidSet s = set(A + ":1-3:7:10-12");
        TreeSet<Long> in = new TreeSet<>(java.util.List.of(1L, 2L, 3L, 7L, 10L, 11L, 12L));
        for (long n = 1; n <= 14; n++) {
            assertEquals(in.contains(n), s.contains(UA, n), "gno " + n);
            assertEquals(in.contains(n), s.contains(new MySqlGtid(UA, n)), "gno " + n);
        }
        assertFalse(s.contains(UB, 1));
    }

    @Test
    void immutableAddLeavesTheOriginalAlone() {
        MySqlGtidSet s = set(A + ":1-5");
        MySqlGtidSet t = s.add(UA, 6);
        assertEquals(A + ":1-5", s.toString());
        assertEquals(A + ":1-6", t.toString());
        assertEquals(A + ":1-6:8", t.add(UA, 8).toString());
        assertEquals(A + ":1-6," + B + ":3", t.add(UB, 3).toString());
        assertEquals(A + ":1-6," + C + ":3", t.add(UC, 3).toString());
        assertEquals(set(A + ":1-9"), set(A + ":1-4:6-9").add(UA, 5));
        assertSame(t, t.add(UA, 3));
        assertEquals(set(B + ":7"), MySqlGtidSet.empty().add(new MySqlGtid(UB, 7)));
        assertThrows(IllegalArgumentException.class, () -> s.add(UA, 0));
    }

    @Test
    void equalsAndHashCodeIgnoreHowTheSetWasBuilt() {
        MySqlGtidSet x = set(B + ":1-3," + A + ":1-2:3-5");
        MySqlGtidSet y = MySqlGtidSet.builder().add(UA, 5).add(UA, 1, 4).add(UB, 1, 3).build();
        assertEquals(x, y);
        assertEquals(x.hashCode(), y.hashCode());
        assertNotEquals(x, set(A + ":1-5"));
        assertNotEquals(x, null);
    }

    // ------------------------------------------------------------ builder

    @Test
    void builderAppendFastPath() {
        MySqlGtidSet.Builder b = MySqlGtidSet.builder();
        for (long n = 1; n <= 1_000_000; n++) {
            b.add(UA, n);
        }
        b.add(UB, 1);
        for (long n = 1_000_001; n <= 1_000_010; n++) {
            b.add(UA, n);
        }
        assertEquals(A + ":1-1000010," + B + ":1", b.build().toString());
        assertTrue(b.contains(UA, 1_000_010));
        assertFalse(b.contains(UA, 1_000_011));
    }

    @Test
    void builderHandlesGapsOutOfOrderAndDuplicates() {
        MySqlGtidSet.Builder b = MySqlGtidSet.builder();
        b.add(UA, 10).add(UA, 12).add(UA, 1).add(UA, 11).add(UA, 12).add(UA, 3).add(UA, 2).add(UA, 20);
        assertEquals(A + ":1-3:10-12:20", b.build().toString());
        b.add(UA, 4, 19);
        assertEquals(A + ":1-20", b.build().toString());
        assertThrows(IllegalArgumentException.class, () -> b.add(UA, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> b.add(UA, MySqlGtid.MAX_GNO + 1));
        assertThrows(NullPointerException.class, () -> b.add(null, 1));
    }

    @Test
    void builderSnapshotsAreIndependent() {
        MySqlGtidSet.Builder b = set(A + ":1-5").toBuilder();
        MySqlGtidSet before = b.build();
        b.add(UA, 6).addAll(set(B + ":1-2," + A + ":8"));
        assertEquals(A + ":1-5", before.toString());
        assertEquals(A + ":1-6:8," + B + ":1-2", b.build().toString());
        assertTrue(MySqlGtidSet.builder().isEmpty());
        assertSame(MySqlGtidSet.empty(), MySqlGtidSet.builder().build());
    }

    @Test
    void randomOperationsAgreeWithANaiveModel() {
        Random rnd = new Random(42);
        UUID[] us = {UA, UB, UC};
        for (int round = 0; round < 300; round++) {
            TreeSet<String> mx = new TreeSet<>();
            TreeSet<String> my = new TreeSet<>();
            MySqlGtidSet.Builder bx = MySqlGtidSet.builder();
            MySqlGtidSet y = MySqlGtidSet.empty();
            for (int k = 0; k < 40; k++) {
                UUID u = us[rnd.nextInt(3)];
                long n = 1 + rnd.nextInt(60);
                bx.add(u, n);
                mx.add(key(u, n));
                UUID v = us[rnd.nextInt(3)];
                long m = 1 + rnd.nextInt(60);
                y = y.add(v, m);
                my.add(key(v, m));
            }
            MySqlGtidSet x = bx.build();
            assertEquals(x, set(x.toString()));
            assertEquals(x, MySqlGtidSet.decode(x.encode(), 0, x.encode().length));
            MySqlGtidSet union = x.union(y);
            MySqlGtidSet diff = x.subtract(y);
            for (UUID u : us) {
                for (long n = 0; n <= 62; n++) {
                    boolean inX = mx.contains(key(u, n));
                    boolean inY = my.contains(key(u, n));
                    assertEquals(inX, x.contains(u, n));
                    assertEquals(inX || inY, union.contains(u, n));
                    assertEquals(inX && !inY, diff.contains(u, n));
                }
            }
            assertEquals(my.containsAll(mx), y.contains(x));
            assertTrue(union.contains(x) && union.contains(y));
            assertEquals(x, diff.union(x));
        }
    }

    private static String key(UUID u, long n) {
        return u + ":" + n;
    }

    // ------------------------------------------------------------ binary

    @Test
    void decodesAHandBuiltVector() {
        // n_sids=2; A: 2 intervals [1,6) [7,8); C: 1 interval [100,201). Little-endian, end exclusive.
        byte[] v = bytes(
                "02 00 00 00 00 00 00 00",
                "3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62",
                "02 00 00 00 00 00 00 00",
                "01 00 00 00 00 00 00 00", "06 00 00 00 00 00 00 00",
                "07 00 00 00 00 00 00 00", "08 00 00 00 00 00 00 00",
                "f0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
                "01 00 00 00 00 00 00 00",
                "64 00 00 00 00 00 00 00", "c9 00 00 00 00 00 00 00");
        MySqlGtidSet s = MySqlGtidSet.decode(v, 0, v.length);
        assertEquals(A + ":1-5:7," + C + ":100-200", s.toString());
        assertArrayEquals(v, s.encode());

        byte[] padded = new byte[v.length + 7];
        System.arraycopy(v, 0, padded, 3, v.length);
        assertEquals(s, MySqlGtidSet.decode(padded, 3, v.length));
    }

    @Test
    void encodesEmptyAsEightZeroBytes() {
        assertArrayEquals(new byte[8], MySqlGtidSet.empty().encode());
        assertTrue(MySqlGtidSet.decode(new byte[8], 0, 8).isEmpty());
    }

    @Test
    void encodeDecodeRoundTrip() {
        MySqlGtidSet s = set(C + ":1-3:5:9223372036854775806," + A + ":1-100:200-300," + B + ":42");
        byte[] e = s.encode();
        assertEquals(8 + 3 * 24 + 6 * 16, e.length);
        assertEquals(s, MySqlGtidSet.decode(e, 0, e.length));
    }

    @Test
    void decodeMergesUnsortedIntervals() {
        byte[] v = bytes(
                "01 00 00 00 00 00 00 00",
                "3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62",
                "02 00 00 00 00 00 00 00",
                "06 00 00 00 00 00 00 00", "0a 00 00 00 00 00 00 00",
                "01 00 00 00 00 00 00 00", "06 00 00 00 00 00 00 00");
        assertEquals(A + ":1-9", MySqlGtidSet.decode(v, 0, v.length).toString());
    }

    @Test
    void decodeRejectsBadInput() {
        byte[] good = set(A + ":1-5").encode();
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(good, 0, good.length - 1));
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(good, 0, good.length + 1));
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(new byte[4], 0, 4));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 4);
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(trailing, 0, trailing.length));

        byte[] empty = good.clone();
        io.binlogbridge.core.binlog.LittleEndian.putInt64(empty, 8 + 24 + 8, 1); // end_exclusive == start
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(empty, 0, empty.length));
        byte[] zero = good.clone();
        io.binlogbridge.core.binlog.LittleEndian.putInt64(zero, 8 + 24, 0);
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(zero, 0, zero.length));
        byte[] hugeCount = good.clone();
        io.binlogbridge.core.binlog.LittleEndian.putInt64(hugeCount, 0, 1L << 40);
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(hugeCount, 0, hugeCount.length));
        byte[] hugeIntervals = good.clone();
        io.binlogbridge.core.binlog.LittleEndian.putInt64(hugeIntervals, 8 + 16, -1);
        assertThrows(IllegalArgumentException.class, () -> MySqlGtidSet.decode(hugeIntervals, 0, hugeIntervals.length));
    }

    @Test
    void decodeRejectsTaggedFormat() {
        byte[] tagged = set(A + ":1-5").encode();
        tagged[0] = 1;
        tagged[7] = 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MySqlGtidSet.decode(tagged, 0, tagged.length));
        assertTrue(e.getMessage().contains("tagged"), e.getMessage());
    }

    static byte[] bytes(String... hexGroups) {
        String hex = String.join(" ", hexGroups).replace(" ", "");
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
