package io.binlogbridge.core.gtid;

import io.binlogbridge.core.binlog.LittleEndian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Immutable MySQL GTID set: for each server UUID, sorted, merged, non-overlapping intervals of
 * transaction numbers. Text form {@code uuid:1-5:7,uuid2:1-3}; binary form the one shared by
 * PREVIOUS_GTIDS_LOG_EVENT and COM_BINLOG_DUMP_GTID.
 *
 * <p>Layout: parallel arrays, UUIDs sorted as MySQL prints them, and per UUID a flat {@code long[]} of
 * {@code start, end} pairs with inclusive ends. Adjacent intervals are always merged, so two equal sets
 * have equal arrays and equals/hashCode need no normalisation. Per-UUID arrays are never mutated after
 * construction, which lets derived sets share the ones they do not change.
 */
public final class MySqlGtidSet implements GtidSet {

    /**
     * MySQL sorts by the UUID's 16 bytes (memcmp), i.e. by its hex text; {@link UUID#compareTo} compares
     * signed longs and would put 8…-f… before 0….
     */
    static final Comparator<UUID> MYSQL_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    private static final MySqlGtidSet EMPTY = new MySqlGtidSet(new UUID[0], new long[0][]);

    private final UUID[] uuids;
    private final long[][] intervals;
    private int hash;

    private MySqlGtidSet(UUID[] uuids, long[][] intervals) {
        this.uuids = uuids;
        this.intervals = intervals;
    }

    public static MySqlGtidSet empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this set's contents. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.addAll(this);
        return b;
    }

    // ---------------------------------------------------------------- text

    /**
     * Parses MySQL's text form. Like MySQL: whitespace (including the newlines MySQL itself prints after
     * commas) is allowed around every token, empty elements between commas are skipped, UUIDs are
     * case-insensitive, a UUID without intervals adds nothing, and input need not be sorted or merged.
     * Unlike MySQL, a reversed interval ({@code 5-1}) is an error rather than silently ignored, since it
     * is always a typo. MySQL 8.4 tagged GTIDs ({@code uuid:tag:1-5}) are rejected.
     *
     * @throws IllegalArgumentException naming the offending element when the text is malformed
     */
    public static MySqlGtidSet parse(String text) {
        Objects.requireNonNull(text, "text");
        Builder b = new Builder();
        int n = text.length();
        int pos = 0;
        while (true) {
            pos = skipSpaceAndCommas(text, pos);
            if (pos >= n) {
                break;
            }
            int elementStart = pos;
            if (pos + MySqlGtid.UUID_TEXT_LENGTH > n) {
                throw malformed(text, elementStart, "expected a UUID");
            }
            UUID uuid;
            try {
                uuid = MySqlGtid.parseUuid(text.substring(pos, pos + MySqlGtid.UUID_TEXT_LENGTH), text);
            } catch (IllegalArgumentException e) {
                throw malformed(text, elementStart, "expected a UUID (8-4-4-4-12 hex digits)");
            }
            pos = skipSpace(text, pos + MySqlGtid.UUID_TEXT_LENGTH);
            while (pos < n && text.charAt(pos) == ':') {
                pos = skipSpace(text, pos + 1);
                if (pos < n && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    throw malformed(text, elementStart, "tagged GTIDs (MySQL 8.4 uuid:tag:n) are not supported");
                }
                int numStart = pos;
                pos = skipDigits(text, pos);
                long start = gno(text, numStart, pos, elementStart);
                long end = start;
                pos = skipSpace(text, pos);
                if (pos < n && text.charAt(pos) == '-') {
                    pos = skipSpace(text, pos + 1);
                    numStart = pos;
                    pos = skipDigits(text, pos);
                    end = gno(text, numStart, pos, elementStart);
                    pos = skipSpace(text, pos);
                }
                if (end < start) {
                    throw malformed(text, elementStart, "interval end is before its start");
                }
                b.add(uuid, start, end);
            }
            if (pos < n && text.charAt(pos) != ',') {
                throw malformed(text, elementStart, "expected ':' or ','");
            }
        }
        return b.build();
    }

    private static long gno(String text, int from, int to, int elementStart) {
        if (from == to) {
            throw malformed(text, elementStart, "expected a transaction number");
        }
        try {
            return MySqlGtid.parseGno(text.substring(from, to), text);
        } catch (IllegalArgumentException e) {
            throw malformed(text, elementStart, "transaction number out of range 1.." + MySqlGtid.MAX_GNO);
        }
    }

    private static IllegalArgumentException malformed(String text, int elementStart, String why) {
        int end = text.indexOf(',', elementStart);
        String element = text.substring(elementStart, end < 0 ? text.length() : end).strip();
        return new IllegalArgumentException("malformed GTID set element \"" + element + "\": " + why
                + (element.length() == text.strip().length() ? "" : " (in \"" + text + "\")"));
    }

    private static int skipSpace(String s, int pos) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static int skipSpaceAndCommas(String s, int pos) {
        while (pos < s.length() && (s.charAt(pos) == ',' || Character.isWhitespace(s.charAt(pos)))) {
            pos++;
        }
        return pos;
    }

    private static int skipDigits(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos;
    }

    /** {@code uuid:1-5:7,uuid2:1-3}: lower-case UUIDs in MySQL's order, no spaces. */
    @Override
    public String toString() {
        return format(",");
    }

    /**
     * The exact string MySQL returns for {@code @@GLOBAL.gtid_executed} and {@code gtid_purged}: as
     * {@link #toString()} but with a newline after each comma (MySQL's default sid separator is ",\n").
     */
    public String toServerString() {
        return format(",\n");
    }

    private String format(String uuidSeparator) {
        StringBuilder sb = new StringBuilder(uuids.length * 48);
        for (int i = 0; i < uuids.length; i++) {
            if (i > 0) {
                sb.append(uuidSeparator);
            }
            sb.append(uuids[i]);
            long[] iv = intervals[i];
            for (int k = 0; k < iv.length; k += 2) {
                sb.append(':').append(iv[k]);
                if (iv[k + 1] != iv[k]) {
                    sb.append('-').append(iv[k + 1]);
                }
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- binary

    /**
     * Encodes as in PREVIOUS_GTIDS_LOG_EVENT and COM_BINLOG_DUMP_GTID: int64 n_sids, then per sid the
     * 16 UUID bytes, int64 n_intervals and (int64 start, int64 end_exclusive) pairs, little-endian.
     */
    public byte[] encode() {
        int size = 8;
        for (long[] iv : intervals) {
            size += 16 + 8 + iv.length * 8;
        }
        byte[] out = new byte[size];
        LittleEndian.putInt64(out, 0, uuids.length);
        int p = 8;
        for (int i = 0; i < uuids.length; i++) {
            GtidBytes.putUuid(out, p, uuids[i]);
            long[] iv = intervals[i];
            LittleEndian.putInt64(out, p + 16, iv.length / 2);
            p += 24;
            for (int k = 0; k < iv.length; k += 2) {
                LittleEndian.putInt64(out, p, iv[k]);
                LittleEndian.putInt64(out, p + 8, iv[k + 1] + 1);
                p += 16;
            }
        }
        return out;
    }

    /**
     * Decodes the format of {@link #encode()}. {@code len} must be exactly the encoded size (as MySQL
     * requires), so a caller that forgot to drop the event checksum gets an error, not garbage.
     * Intervals need not be sorted or merged. The MySQL 8.4 tagged format is rejected.
     */
    public static MySqlGtidSet decode(byte[] buf, int off, int len) {
        GtidBytes.require(buf, off, len, "GTID set encoding");
        if (len < 8) {
            throw new IllegalArgumentException("GTID set encoding: " + len + " bytes, need at least 8");
        }
        // MySQL 8.4 puts a format byte in the top byte of n_sids (1 = tagged); an untagged count never
        // comes near 2^56.
        if (buf[off + 7] != 0) {
            throw new IllegalArgumentException("GTID set encoding uses format " + (buf[off + 7] & 0xFF)
                    + " (MySQL 8.4 tagged GTIDs), which is not supported");
        }
        long nSids = LittleEndian.int64(buf, off);
        int end = off + len;
        int p = off + 8;
        if (nSids > (end - p) / 24) {
            throw new IllegalArgumentException("GTID set encoding: " + nSids + " sids do not fit in " + len + " bytes");
        }
        Builder b = new Builder();
        for (long s = 0; s < nSids; s++) {
            if (end - p < 24) {
                throw new IllegalArgumentException("GTID set encoding truncated in sid " + s);
            }
            UUID uuid = GtidBytes.uuid(buf, p);
            long nIntervals = LittleEndian.int64(buf, p + 16);
            p += 24;
            if (nIntervals < 0 || nIntervals > (end - p) / 16) {
                throw new IllegalArgumentException("GTID set encoding: " + nIntervals + " intervals of " + uuid
                        + " do not fit in the remaining " + (end - p) + " bytes");
            }
            for (long k = 0; k < nIntervals; k++) {
                long start = LittleEndian.int64(buf, p);
                long endExclusive = LittleEndian.int64(buf, p + 8);
                p += 16;
                if (start < 1 || endExclusive <= start) {
                    throw new IllegalArgumentException("GTID set encoding: invalid interval [" + start + ", "
                            + endExclusive + ") for " + uuid);
                }
                b.add(uuid, start, endExclusive - 1);
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("GTID set encoding: " + (end - p) + " unexpected trailing bytes");
        }
        return b.build();
    }

    // ---------------------------------------------------------------- queries

    @Override
    public boolean isEmpty() {
        return uuids.length == 0;
    }

    public boolean contains(UUID uuid, long gno) {
        int i = Arrays.binarySearch(uuids, uuid, MYSQL_ORDER);
        return i >= 0 && Intervals.contains(intervals[i], intervals[i].length, gno);
    }

    public boolean contains(MySqlGtid gtid) {
        return contains(gtid.uuid(), gtid.gno());
    }

    /** True when every GTID of {@code other} is in this set (MySQL's GTID_SUBSET(other, this)). */
    public boolean contains(MySqlGtidSet other) {
        for (int j = 0; j < other.uuids.length; j++) {
            int i = Arrays.binarySearch(uuids, other.uuids[j], MYSQL_ORDER);
            if (i < 0 || !Intervals.containsAll(intervals[i], other.intervals[j])) {
                return false;
            }
        }
        return true;
    }

    /** How many GTIDs the set holds (saturating at {@link Long#MAX_VALUE}). */
    public long count() {
        long n = 0;
        for (long[] iv : intervals) {
            for (int k = 0; k < iv.length; k += 2) {
                long c = iv[k + 1] - iv[k] + 1;
                n = n > Long.MAX_VALUE - c ? Long.MAX_VALUE : n + c;
            }
        }
        return n;
    }

    /** True when both sets hold GTIDs of at least one common server UUID: a shared replication history. */
    public boolean sharesUuidWith(MySqlGtidSet other) {
        for (UUID u : other.uuids) {
            if (Arrays.binarySearch(uuids, u, MYSQL_ORDER) >= 0) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- algebra

    /** This set plus one GTID. Copies only the UUID's own intervals; use a {@link Builder} in loops. */
    public MySqlGtidSet add(UUID uuid, long gno) {
        Objects.requireNonNull(uuid, "uuid");
        MySqlGtid.checkGno(gno);
        int i = Arrays.binarySearch(uuids, uuid, MYSQL_ORDER);
        if (i >= 0) {
            long[] iv = intervals[i];
            if (Intervals.contains(iv, iv.length, gno)) {
                return this;
            }
            long[] grown = Arrays.copyOf(iv, iv.length + 2);
            int n = Intervals.insert(grown, iv.length, gno, gno);
            long[][] ivs = intervals.clone();
            ivs[i] = n == grown.length ? grown : Arrays.copyOf(grown, n);
            return new MySqlGtidSet(uuids, ivs);
        }
        int at = -i - 1;
        UUID[] us = new UUID[uuids.length + 1];
        long[][] ivs = new long[uuids.length + 1][];
        System.arraycopy(uuids, 0, us, 0, at);
        System.arraycopy(intervals, 0, ivs, 0, at);
        us[at] = uuid;
        ivs[at] = new long[] {gno, gno};
        System.arraycopy(uuids, at, us, at + 1, uuids.length - at);
        System.arraycopy(intervals, at, ivs, at + 1, uuids.length - at);
        return new MySqlGtidSet(us, ivs);
    }

    public MySqlGtidSet add(MySqlGtid gtid) {
        return add(gtid.uuid(), gtid.gno());
    }

    public MySqlGtidSet union(MySqlGtidSet other) {
        if (other.isEmpty() || other == this) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<UUID> us = new ArrayList<>(uuids.length + other.uuids.length);
        List<long[]> ivs = new ArrayList<>(uuids.length + other.uuids.length);
        int i = 0;
        int j = 0;
        while (i < uuids.length || j < other.uuids.length) {
            int c = i == uuids.length ? 1
                    : j == other.uuids.length ? -1
                    : MYSQL_ORDER.compare(uuids[i], other.uuids[j]);
            if (c < 0) {
                us.add(uuids[i]);
                ivs.add(intervals[i++]);
            } else if (c > 0) {
                us.add(other.uuids[j]);
                ivs.add(other.intervals[j++]);
            } else {
                us.add(uuids[i]);
                ivs.add(Intervals.union(intervals[i++], other.intervals[j++]));
            }
        }
        return of(us, ivs);
    }

    /** The GTIDs of this set that are not in {@code other}. */
    public MySqlGtidSet subtract(MySqlGtidSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        List<UUID> us = new ArrayList<>(uuids.length);
        List<long[]> ivs = new ArrayList<>(uuids.length);
        boolean changed = false;
        for (int i = 0; i < uuids.length; i++) {
            int j = Arrays.binarySearch(other.uuids, uuids[i], MYSQL_ORDER);
            long[] iv = j < 0 ? intervals[i] : Intervals.subtract(intervals[i], other.intervals[j]);
            changed |= iv != intervals[i];
            if (iv.length > 0) {
                us.add(uuids[i]);
                ivs.add(iv);
            }
        }
        return changed ? of(us, ivs) : this;
    }

    private static MySqlGtidSet of(List<UUID> us, List<long[]> ivs) {
        return us.isEmpty() ? EMPTY : new MySqlGtidSet(us.toArray(new UUID[0]), ivs.toArray(new long[0][]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet s && Arrays.equals(uuids, s.uuids) && Arrays.deepEquals(intervals, s.intervals);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(uuids) + Arrays.deepHashCode(intervals);
            hash = h;
        }
        return h;
    }

    // ---------------------------------------------------------------- builder

    /**
     * Mutable accumulator for the hot path (one {@link #add(UUID, long)} per replicated transaction).
     * Appending the next number of the UUID last added to is O(1): no hashing, no search, no copy.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<UUID, Run> runs = new HashMap<>();
        private UUID lastUuid;
        private Run lastRun;

        private Builder() {}

        /** Intervals of one UUID in a growable flat array, same layout as the immutable set's. */
        private static final class Run {
            long[] a = new long[8];
            int n;
        }

        public Builder add(UUID uuid, long gno) {
            Run r = run(uuid);
            int n = r.n;
            if (n > 0) {
                long last = r.a[n - 1];
                if (gno == last + 1) {
                    MySqlGtid.checkGno(gno);
                    r.a[n - 1] = gno;
                    return this;
                }
                if (gno > last + 1) {
                    MySqlGtid.checkGno(gno);
                    append(r, gno, gno);
                    return this;
                }
            }
            return add(uuid, gno, gno);
        }

        public Builder add(MySqlGtid gtid) {
            return add(gtid.uuid(), gtid.gno());
        }

        /** Adds {@code start..end}, both inclusive as in MySQL's text form. */
        public Builder add(UUID uuid, long start, long end) {
            MySqlGtid.checkGno(start);
            MySqlGtid.checkGno(end);
            if (end < start) {
                throw new IllegalArgumentException("interval " + start + "-" + end + " ends before it starts");
            }
            Run r = run(uuid);
            if (r.n == 0 || start > r.a[r.n - 1] + 1) {
                append(r, start, end);
            } else {
                if (r.n + 2 > r.a.length) {
                    r.a = Arrays.copyOf(r.a, r.a.length * 2);
                }
                r.n = Intervals.insert(r.a, r.n, start, end);
            }
            return this;
        }

        public Builder addAll(MySqlGtidSet set) {
            for (int i = 0; i < set.uuids.length; i++) {
                long[] iv = set.intervals[i];
                Run r = run(set.uuids[i]);
                if (r.n == 0) {
                    r.a = Arrays.copyOf(iv, Math.max(8, iv.length + 2));
                    r.n = iv.length;
                } else {
                    long[] u = Intervals.union(Arrays.copyOf(r.a, r.n), iv);
                    r.a = Arrays.copyOf(u, u.length + 2);
                    r.n = u.length;
                }
            }
            return this;
        }

        public boolean contains(UUID uuid, long gno) {
            Run r = uuid.equals(lastUuid) ? lastRun : runs.get(uuid);
            return r != null && Intervals.contains(r.a, r.n, gno);
        }

        public boolean isEmpty() {
            return runs.isEmpty();
        }

        /** A snapshot; the builder stays usable and later adds do not affect it. */
        public MySqlGtidSet build() {
            if (runs.isEmpty()) {
                return EMPTY;
            }
            UUID[] us = runs.keySet().toArray(new UUID[0]);
            Arrays.sort(us, MYSQL_ORDER);
            long[][] ivs = new long[us.length][];
            for (int i = 0; i < us.length; i++) {
                Run r = runs.get(us[i]);
                ivs[i] = Arrays.copyOf(r.a, r.n);
            }
            return new MySqlGtidSet(us, ivs);
        }

        @Override
        public String toString() {
            return build().toString();
        }

        private Run run(UUID uuid) {
            Objects.requireNonNull(uuid, "uuid");
            if (uuid.equals(lastUuid)) {
                return lastRun;
            }
            Run r = runs.computeIfAbsent(uuid, u -> new Run());
            lastUuid = uuid;
            lastRun = r;
            return r;
        }

        private static void append(Run r, long start, long end) {
            if (r.n + 2 > r.a.length) {
                r.a = Arrays.copyOf(r.a, r.a.length * 2);
            }
            r.a[r.n] = start;
            r.a[r.n + 1] = end;
            r.n += 2;
        }
    }

    // ---------------------------------------------------------------- interval arithmetic

    /** Operations on flat arrays of inclusive {start, end} pairs, sorted, merged (no touching pairs). */
    private static final class Intervals {
        private Intervals() {}

        static boolean contains(long[] a, int n, long x) {
            int k = firstEndingAtOrAfter(a, n, x);
            return k < n && a[k] <= x;
        }

        /** Index (of the start) of the first pair whose end is >= x, or n. */
        private static int firstEndingAtOrAfter(long[] a, int n, long x) {
            int lo = 0;
            int hi = n / 2;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[2 * mid + 1] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return 2 * lo;
        }

        /**
         * Inserts {@code [s, e]} into the first n longs of a, merging with every pair it overlaps or
         * touches; a must have room for one more pair. Returns the new used length.
         */
        static int insert(long[] a, int n, long s, long e) {
            // First pair that ends at or after s-1 (touching counts), last pair that starts at or before e+1.
            int i = firstEndingAtOrAfter(a, n, s - 1);
            int j = i;
            while (j < n && a[j] <= e + 1) {
                j += 2;
            }
            if (i == j) {
                System.arraycopy(a, i, a, i + 2, n - i);
                a[i] = s;
                a[i + 1] = e;
                return n + 2;
            }
            a[i] = Math.min(s, a[i]);
            a[i + 1] = Math.max(e, a[j - 1]);
            System.arraycopy(a, j, a, i + 2, n - j);
            return n - (j - i - 2);
        }

        static long[] union(long[] x, long[] y) {
            long[] out = new long[x.length + y.length];
            int n = 0;
            int i = 0;
            int j = 0;
            while (i < x.length || j < y.length) {
                long s;
                long e;
                if (j == y.length || (i < x.length && x[i] <= y[j])) {
                    s = x[i];
                    e = x[i + 1];
                    i += 2;
                } else {
                    s = y[j];
                    e = y[j + 1];
                    j += 2;
                }
                if (n > 0 && s <= out[n - 1] + 1) {
                    out[n - 1] = Math.max(out[n - 1], e);
                } else {
                    out[n++] = s;
                    out[n++] = e;
                }
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }

        /** x minus y; returns x itself when nothing was removed. */
        static long[] subtract(long[] x, long[] y) {
            // Each pair of y can split at most one pair of x in two.
            long[] out = new long[x.length + y.length];
            int n = 0;
            int j = 0;
            boolean changed = false;
            for (int i = 0; i < x.length; i += 2) {
                long cur = x[i];
                long e = x[i + 1];
                // j is not moved past pairs that may still overlap the next x pair.
                while (j < y.length && y[j + 1] < cur) {
                    j += 2;
                }
                for (int k = j; k < y.length && y[k] <= e && cur <= e; k += 2) {
                    changed = true;
                    if (y[k] > cur) {
                        out[n++] = cur;
                        out[n++] = y[k] - 1;
                    }
                    cur = Math.max(cur, y[k + 1] + 1);
                }
                if (cur <= e) {
                    out[n++] = cur;
                    out[n++] = e;
                }
            }
            return changed ? Arrays.copyOf(out, n) : x;
        }

        /** Every pair of y lies within one pair of x (pairs are merged, so one suffices). */
        static boolean containsAll(long[] x, long[] y) {
            for (int k = 0; k < y.length; k += 2) {
                int i = firstEndingAtOrAfter(x, x.length, y[k + 1]);
                if (i >= x.length || x[i] > y[k]) {
                    return false;
                }
            }
            return true;
        }
    }
}
