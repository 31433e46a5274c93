package io.binlogbridge.reader;

import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.schemas.Flavor;

/**
 * The GTIDs the reader has passed (or was told to skip): a MySQL GTID set, or a MariaDB GTID position (the last
 * sequence number per domain). Grows by intervals, not by transactions, so it stays small.
 */
abstract sealed class GtidState {

    /** @param text a MySQL GTID set or MariaDB GTID position as text; null or blank for none */
    static GtidState of(Flavor flavor, String text) {
        return flavor == Flavor.MARIADB ? new MariaDb(text) : new MySql(text);
    }

    abstract boolean contains(String gtid);

    abstract void add(String gtid);

    /**
     * True when this state holds everything in {@code headerState}, a file header's or term start's GTID state (for
     * MariaDB a GTID list, where several servers of one domain may appear).
     */
    abstract boolean covers(String headerState);

    /** Adds a file header's or term start's GTID state. */
    abstract void addAll(String headerState);

    abstract String text();

    private static final class MySql extends GtidState {
        private final MySqlGtidSet.Builder set;

        MySql(String text) {
            set = text == null || text.isBlank() ? MySqlGtidSet.builder() : MySqlGtidSet.parse(text).toBuilder();
        }

        @Override
        boolean contains(String gtid) {
            MySqlGtid g = MySqlGtid.parse(gtid);
            return set.contains(g.uuid(), g.gno());
        }

        @Override
        void add(String gtid) {
            set.add(MySqlGtid.parse(gtid));
        }

        @Override
        boolean covers(String headerState) {
            return headerState == null || headerState.isBlank() || set.build().contains(MySqlGtidSet.parse(headerState));
        }

        @Override
        void addAll(String headerState) {
            if (headerState != null && !headerState.isBlank()) {
                set.addAll(MySqlGtidSet.parse(headerState));
            }
        }

        @Override
        String text() {
            return set.build().toString();
        }
    }

    private static final class MariaDb extends GtidState {
        private MariaDbGtidPosition position;

        MariaDb(String text) {
            position = text == null || text.isBlank() ? MariaDbGtidPosition.empty() : ExecutedGtids.mariaDbPosition(text);
        }

        @Override
        boolean contains(String gtid) {
            return position.contains(MariaDbGtid.parse(gtid));
        }

        /** A domain's entry only moves forward: a skipped transaction older than the start must not pull it back. */
        @Override
        void add(String gtid) {
            MariaDbGtid g = MariaDbGtid.parse(gtid);
            if (!position.contains(g)) {
                position = position.with(g);
            }
        }

        @Override
        boolean covers(String headerState) {
            return headerState == null || headerState.isBlank() || position.covers(ExecutedGtids.mariaDbPosition(headerState));
        }

        @Override
        void addAll(String headerState) {
            if (headerState != null && !headerState.isBlank()) {
                for (MariaDbGtid g : ExecutedGtids.mariaDbPosition(headerState).gtids()) {
                    if (!position.contains(g)) {
                        position = position.with(g);
                    }
                }
            }
        }

        @Override
        String text() {
            return position.toString();
        }
    }
}
