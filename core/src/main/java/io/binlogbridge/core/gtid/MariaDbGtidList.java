package io.binlogbridge.core.gtid;

import io.binlogbridge.core.binlog.LittleEndian;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a MariaDB GTID_LIST_EVENT (type 163): the binlog state at the start of a binlog file.
 * Unlike a {@link MariaDbGtidPosition} it may hold several GTIDs per domain, one per server id that wrote
 * in that domain, so it is kept as the list the event carries, in the event's order.
 */
public final class MariaDbGtidList {

    /** The count field keeps the count in its low 28 bits; the top 4 are flags. */
    private static final long COUNT_MASK = 0x0FFF_FFFFL;
    private static final int ENTRY_LEN = 4 + 4 + 8;

    private final List<MariaDbGtid> gtids;
    private final int flags;

    public MariaDbGtidList(List<MariaDbGtid> gtids, int flags) {
        this.gtids = List.copyOf(gtids);
        if (flags < 0 || flags > 0xF) {
            throw new IllegalArgumentException("GTID_LIST flags " + flags + " out of range 0..15");
        }
        this.flags = flags;
    }

    /**
     * Decodes a GTID_LIST_EVENT body: count(u32 LE: low 28 bits count, top 4 bits flags), then count ×
     * (domain u32, server u32, seq u64). Bytes after the last entry are ignored, as MariaDB itself does,
     * so a {@code len} that still includes the event checksum is harmless.
     */
    public static MariaDbGtidList decode(byte[] buf, int off, int len) {
        GtidBytes.require(buf, off, len, "GTID_LIST_EVENT body");
        if (len < 4) {
            throw new IllegalArgumentException("GTID_LIST_EVENT body: " + len + " bytes, need at least 4");
        }
        long word = LittleEndian.uint32(buf, off);
        int count = (int) (word & COUNT_MASK);
        int flags = (int) (word >>> 28);
        if (count > (len - 4) / ENTRY_LEN) {
            throw new IllegalArgumentException("GTID_LIST_EVENT body: " + count + " GTIDs do not fit in " + len + " bytes");
        }
        List<MariaDbGtid> list = new ArrayList<>(count);
        int p = off + 4;
        for (int i = 0; i < count; i++, p += ENTRY_LEN) {
            list.add(new MariaDbGtid(LittleEndian.uint32(buf, p), LittleEndian.uint32(buf, p + 4), LittleEndian.int64(buf, p + 8)));
        }
        return new MariaDbGtidList(list, flags);
    }

    /** The GTIDs in event order. */
    public List<MariaDbGtid> gtids() {
        return gtids;
    }

    /** The top 4 bits of the count field. */
    public int flags() {
        return flags;
    }

    /**
     * The replication position this state stands for: per domain, the GTID listed last. MariaDB writes
     * each domain's most recent GTID after the others of that domain for exactly this purpose.
     */
    public MariaDbGtidPosition toPosition() {
        Map<Long, MariaDbGtid> last = new LinkedHashMap<>();
        for (MariaDbGtid g : gtids) {
            last.put(g.domainId(), g);
        }
        return MariaDbGtidPosition.of(last.values());
    }

    /** Comma-separated GTIDs in event order, e.g. {@code 0-1-100,0-2-7} (mariadb-binlog's "Gtid list [...]"). */
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
        return o instanceof MariaDbGtidList l && flags == l.flags && gtids.equals(l.gtids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gtids, flags);
    }
}
