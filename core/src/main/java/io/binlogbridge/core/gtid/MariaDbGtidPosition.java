package io.binlogbridge.core.gtid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A MariaDB GTID position (replication state), as in {@code @@gtid_slave_pos}, {@code @@gtid_binlog_pos}
 * and the {@code @slave_connect_state} a replica sends before dumping: at most one GTID per domain, the
 * last one applied there. Text form {@code 0-1-100,1-2-5}, sorted by domain. Immutable.
 *
 * <p>Within a domain, MariaDB orders transactions by sequence number alone, whatever the server id, so
 * {@link #contains} ignores server ids.
 */
public final class MariaDbGtidPosition implements GtidSet {

    private static final Comparator<MariaDbGtid> BY_DOMAIN = Comparator.comparingLong(MariaDbGtid::domainId);
    private static final MariaDbGtidPosition EMPTY = new MariaDbGtidPosition(new MariaDbGtid[0]);

    /** Sorted by domain, one per domain; few entries, so a sorted array beats a map. */
    private final MariaDbGtid[] gtids;

    private MariaDbGtidPosition(MariaDbGtid[] gtids) {
        this.gtids = gtids;
    }

    public static MariaDbGtidPosition empty() {
        return EMPTY;
    }

    /**
     * Parses {@code d-s-n[,d-s-n…]}; whitespace around elements and empty elements are ignored, an empty
     * string is the empty position. Two GTIDs in one domain are an error, as in MariaDB.
     */
    public static MariaDbGtidPosition parse(String text) {
        Objects.requireNonNull(text, "text");
        List<MariaDbGtid> list = new ArrayList<>();
        for (String element : text.split(",", -1)) {
            if (!element.isBlank()) {
                list.add(MariaDbGtid.parse(element));
            }
        }
        return of(list, text);
    }

    /** A position from GTIDs of distinct domains, in any order. */
    public static MariaDbGtidPosition of(Collection<MariaDbGtid> gtids) {
        return of(gtids, null);
    }

    private static MariaDbGtidPosition of(Collection<MariaDbGtid> gtids, String text) {
        if (gtids.isEmpty()) {
            return EMPTY;
        }
        MariaDbGtid[] a = gtids.toArray(new MariaDbGtid[0]);
        Arrays.sort(a, BY_DOMAIN);
        for (int i = 1; i < a.length; i++) {
            if (a[i].domainId() == a[i - 1].domainId()) {
                throw new IllegalArgumentException("MariaDB GTID position " + (text != null ? "\"" + text + "\" " : "")
                        + "has two GTIDs in domain " + a[i].domainId() + ": " + a[i - 1] + " and " + a[i]);
            }
        }
        return new MariaDbGtidPosition(a);
    }

    /** The GTID of this domain, or null if the position has none there. */
    public MariaDbGtid get(long domainId) {
        int i = indexOf(domainId);
        return i >= 0 ? gtids[i] : null;
    }

    /** This position with {@code gtid} replacing its domain's entry (or added, for a new domain). */
    public MariaDbGtidPosition with(MariaDbGtid gtid) {
        Objects.requireNonNull(gtid, "gtid");
        int i = indexOf(gtid.domainId());
        MariaDbGtid[] a;
        if (i >= 0) {
            if (gtids[i].equals(gtid)) {
                return this;
            }
            a = gtids.clone();
            a[i] = gtid;
        } else {
            int at = -i - 1;
            a = new MariaDbGtid[gtids.length + 1];
            System.arraycopy(gtids, 0, a, 0, at);
            a[at] = gtid;
            System.arraycopy(gtids, at, a, at + 1, gtids.length - at);
        }
        return new MariaDbGtidPosition(a);
    }

    /** True when the position is at or past {@code gtid}: same domain, seq_no &lt;= the domain's. */
    public boolean contains(MariaDbGtid gtid) {
        MariaDbGtid mine = get(gtid.domainId());
        return mine != null && gtid.compareSeqNo(mine) <= 0;
    }

    /** True when the position is at or past every GTID of {@code other}, domain by domain. */
    public boolean covers(MariaDbGtidPosition other) {
        for (MariaDbGtid gtid : other.gtids) {
            if (!contains(gtid)) {
                return false;
            }
        }
        return true;
    }

    /** The GTIDs, one per domain, sorted by domain. */
    public List<MariaDbGtid> gtids() {
        return List.of(gtids);
    }

    @Override
    public boolean isEmpty() {
        return gtids.length == 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (MariaDbGtid g : gtids) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(g);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidPosition p && Arrays.equals(gtids, p.gtids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gtids);
    }

    private int indexOf(long domainId) {
        int lo = 0;
        int hi = gtids.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long d = gtids[mid].domainId();
            if (d < domainId) {
                lo = mid + 1;
            } else if (d > domainId) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
