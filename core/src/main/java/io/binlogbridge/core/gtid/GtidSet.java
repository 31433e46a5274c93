package io.binlogbridge.core.gtid;

/**
 * What MySQL GTID sets ({@link MySqlGtidSet}) and MariaDB GTID positions ({@link MariaDbGtidPosition})
 * have in common, so flavor-agnostic code (topic metadata, logging, the {@code --start gtid:SET} option)
 * can carry either without knowing which. The two have different semantics (a MySQL set holds every
 * executed transaction, a MariaDB position only the last one per domain), so set algebra stays on the
 * concrete classes.
 */
public interface GtidSet {

    /** True when the set holds no transaction: a replica starting from it wants the whole log. */
    boolean isEmpty();

    /** The server's own textual form; {@code parse} of the concrete class reads it back to an equal value. */
    @Override
    String toString();
}
