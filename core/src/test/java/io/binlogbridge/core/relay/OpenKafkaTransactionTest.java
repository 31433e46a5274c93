package io.binlogbridge.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenKafkaTransactionTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static OutgoingRecord chunk(RecordKind kind, long start, long end, String gtid, boolean last) {
        return new OutgoingRecord(new byte[0], new byte[0], kind, "binlog.000002", start, end, gtid, 0, last, false);
    }

    @Test
    void namesTheLargestTransactionWithItsSizeSoFar() {
        OpenKafkaTransaction open = new OpenKafkaTransaction();
        open.begin(1_000);
        open.add(chunk(RecordKind.TRANSACTION, 4, 300, UUID + ":7", true));
        open.add(chunk(RecordKind.TRANSACTION, 300, 300 + 262_144, UUID + ":8", false));
        open.add(chunk(RecordKind.TRANSACTION, 300, 300 + 524_288, UUID + ":8", false));
        OpenKafkaTransaction.Largest largest = open.largest();
        assertEquals(UUID + ":8 (binlog.000002:300)", largest.name());
        assertEquals("524288 bytes so far", largest.size());
        assertEquals(Duration.ofNanos(2_000), open.openFor(3_000));

        open.add(chunk(RecordKind.TRANSACTION, 300, 300 + 600_000, UUID + ":8", true));
        assertEquals("600000 bytes", open.largest().size());
    }

    @Test
    void aSourceWithoutGtidsIsNamedByPosition() {
        OpenKafkaTransaction open = new OpenKafkaTransaction();
        open.begin(0);
        open.add(chunk(RecordKind.TRANSACTION, 1234, 5000, null, false));
        assertEquals("at binlog.000002:1234", open.largest().name());
    }

    @Test
    void headersAreNotTransactionsAndNothingIsOpenAfterTheCommit() {
        OpenKafkaTransaction open = new OpenKafkaTransaction();
        open.begin(0);
        open.add(chunk(RecordKind.FILE_HEADER, 4, 200, null, true));
        assertNull(open.largest());
        open.add(chunk(RecordKind.TRANSACTION, 200, 900, UUID + ":1", true));
        open.end();
        assertNull(open.largest());
        assertEquals(Duration.ZERO, open.openFor(5_000));
        open.begin(6_000);
        assertNull(open.largest(), "a new Kafka transaction starts empty");
    }

    @Test
    void oneLineNamingTheTransactionAndTheSettingToRaise() {
        OpenKafkaTransaction.Largest txn = new OpenKafkaTransaction.Largest(UUID + ":8", "binlog.000002", 300, 524_288, false);
        assertEquals("transaction " + UUID + ":8 (binlog.000002:300), 524288 bytes so far, could not be written to Kafka within the"
                        + " transaction timeout of 2s (its Kafka transaction was open 2.6s); raise --transaction-timeout (the brokers"
                        + " allow up to 15m, transaction.max.timeout.ms)",
                new TransactionTimeoutException(txn, Duration.ofMillis(2600), Duration.ofSeconds(2), Duration.ofMinutes(15),
                        "--transaction-timeout", null).getMessage());
        assertEquals("transaction at binlog.000002:300, 10 bytes, could not be written to Kafka within the transaction timeout of"
                        + " 1m (its Kafka transaction was open 1m); raise producer.override.transaction.timeout.ms (at most the"
                        + " brokers' transaction.max.timeout.ms)",
                new TransactionTimeoutException(new OpenKafkaTransaction.Largest(null, "binlog.000002", 300, 10, true),
                        Duration.ofMinutes(1), Duration.ofMinutes(1), null, "producer.override.transaction.timeout.ms", null).getMessage());
    }

    @Test
    void durationsAsTheOptionsTakeThem() {
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("2.6s", Durations.format(Duration.ofMillis(2600)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    }
}
