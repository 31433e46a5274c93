package io.binlogbridge.core.relay;

import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordSink;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the transactions of a GTID state on their way into the log. A term that began with a GTID dump (a new
 * source asked to skip what the log holds) has, in its first file, transactions the source skipped; a relay
 * resuming there by file position would be sent them again. They are exactly the GTIDs its TERM_START states,
 * so no GTID enters the log twice.
 */
final class SkipHeldTransactions implements RecordSink {
    private static final Logger log = LoggerFactory.getLogger(SkipHeldTransactions.class);

    private final Predicate<String> held;
    private final RecordSink next;
    private String lastDropped;

    private SkipHeldTransactions(Predicate<String> held, RecordSink next) {
        this.held = held;
        this.next = next;
    }

    /** @param state a MySQL GTID set or a MariaDB GTID position; nothing is dropped when it is empty */
    static RecordSink of(Flavor flavor, String state, RecordSink next) {
        if (state == null || state.isBlank()) {
            return next;
        }
        if (flavor == Flavor.MARIADB) {
            // A TERM_START may state a file header's GTID_LIST, which can list several servers of one domain.
            MariaDbGtidPosition position = ExecutedGtids.mariaDbPosition(state);
            return new SkipHeldTransactions(gtid -> position.contains(MariaDbGtid.parse(gtid)), next);
        }
        MySqlGtidSet set = MySqlGtidSet.parse(state);
        return new SkipHeldTransactions(gtid -> set.contains(MySqlGtid.parse(gtid)), next);
    }

    @Override
    public void accept(OutgoingRecord record) throws InterruptedException {
        if (record.kind() == RecordKind.TRANSACTION && record.gtid() != null && held.test(record.gtid())) {
            if (!record.gtid().equals(lastDropped)) {
                lastDropped = record.gtid();
                log.info("not writing {} ({}:{}) again: the log holds it from before this term", record.gtid(), record.file(),
                        record.startPosition());
            }
            return;
        }
        next.accept(record);
    }
}
