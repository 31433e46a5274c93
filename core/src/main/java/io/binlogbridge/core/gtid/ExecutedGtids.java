package io.binlogbridge.core.gtid;

import io.binlogbridge.schemas.Flavor;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a source had executed at a point of its binlog, built as a reader walks it: the GTID state of a file's
 * header (PREVIOUS_GTIDS or GTID_LIST), then each transaction after it. MySQL's state is a GTID set; MariaDB's a
 * position, the last sequence number per replication domain.
 */
public abstract sealed class ExecutedGtids {
    /** @param headerState the file header's state as text (a MySQL GTID set, or a MariaDB GTID list); "" or null for none */
    public static ExecutedGtids mysql(String headerState) {
        return new MySql(headerState);
    }

    /** @param headerState a MariaDB GTID_LIST as text: several servers of one domain may be listed, the highest sequence wins */
    public static ExecutedGtids mariaDb(String headerState) {
        return new MariaDb(headerState);
    }

    /** {@link #mysql} or {@link #mariaDb}, as the source's flavor says. */
    public static ExecutedGtids of(Flavor flavor, String headerState) {
        return flavor == Flavor.MARIADB ? mariaDb(headerState) : mysql(headerState);
    }

    /** A MariaDB GTID_LIST as text (several servers of one domain may be listed) as a position: the highest per domain. */
    public static MariaDbGtidPosition mariaDbPosition(String gtidList) {
        return ((MariaDb) mariaDb(gtidList)).position();
    }

    /** Adds a transaction's GTID ({@code uuid:n} or {@code domain-server-seq}). */
    public abstract void add(String gtid);

    /** The state as text: a MySQL GTID set, or a MariaDB GTID position. */
    public abstract String text();

    private static final class MySql extends ExecutedGtids {
        private final MySqlGtidSet.Builder set;

        MySql(String headerState) {
            set = headerState == null || headerState.isBlank() ? MySqlGtidSet.builder() : MySqlGtidSet.parse(headerState).toBuilder();
        }

        @Override
        public void add(String gtid) {
            set.add(MySqlGtid.parse(gtid));
        }

        @Override
        public String text() {
            return set.build().toString();
        }
    }

    private static final class MariaDb extends ExecutedGtids {
        private final Map<Long, MariaDbGtid> byDomain = new TreeMap<>();

        MariaDb(String headerState) {
            if (headerState != null) {
                for (String element : headerState.split(",")) {
                    if (!element.isBlank()) {
                        add(element.trim());
                    }
                }
            }
        }

        @Override
        public void add(String gtid) {
            MariaDbGtid g = MariaDbGtid.parse(gtid);
            byDomain.merge(g.domainId(), g, (a, b) -> Long.compareUnsigned(b.seqNo(), a.seqNo()) > 0 ? b : a);
        }

        MariaDbGtidPosition position() {
            return MariaDbGtidPosition.of(byDomain.values());
        }

        @Override
        public String text() {
            return position().toString();
        }
    }
}
