package io.binlogbridge.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordSink;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkipHeldTransactionsTest {
    private static final String P = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static OutgoingRecord rec(RecordKind kind, String gtid) {
        return new OutgoingRecord(new byte[0], new byte[0], kind, "binlog.000002", 4, 4, gtid, 0, true, false);
    }

    private static List<String> pass(Flavor flavor, String state, List<OutgoingRecord> in) throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordSink sink = SkipHeldTransactions.of(flavor, state, r -> out.add(r.kind() + " " + r.gtid()));
        for (OutgoingRecord r : in) {
            sink.accept(r);
        }
        return out;
    }

    @Test
    void dropsTransactionsTheStateHolds() throws InterruptedException {
        assertEquals(List.of("EVENTS null", "TRANSACTION " + P + ":6"), pass(Flavor.MYSQL, P + ":1-5",
                List.of(rec(RecordKind.TRANSACTION, P + ":4"), rec(RecordKind.EVENTS, null), rec(RecordKind.TRANSACTION, P + ":6"))));
        assertEquals(List.of("TRANSACTION 0-1-6"), pass(Flavor.MARIADB, "0-1-3,0-2-5",
                List.of(rec(RecordKind.TRANSACTION, "0-2-5"), rec(RecordKind.TRANSACTION, "0-1-6"))));
        assertEquals(List.of("TRANSACTION " + P + ":4"), pass(Flavor.MYSQL, "", List.of(rec(RecordKind.TRANSACTION, P + ":4"))));
    }
}
