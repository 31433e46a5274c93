package io.binlogbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaTransactionClockTest {
    private static final String GTID = "3e11fa47-71ca-11e1-9e33-c80aa9429562:";
    private static final long SECOND = 1_000_000_000L;
    private final KafkaTransactionClock clock = new KafkaTransactionClock(Duration.ofSeconds(2),
            BinlogSourceConfig.PRODUCER_TRANSACTION_TIMEOUT_MS);

    private static OutgoingRecord chunk(long start, long end, int n, boolean last) {
        return new OutgoingRecord(new byte[0], new byte[0], RecordKind.TRANSACTION, "binlog.000003", start, end, GTID + n, 0, last, false);
    }

    @Test
    void aTransactionSpanningPollsExpiresAfterTheTimeoutNamingIt() {
        clock.handedOut(List.of(chunk(4, 300, 1, true), chunk(300, 262_444, 2, false)), 0, 0);
        clock.committed(SECOND / 10);
        clock.handedOut(List.of(chunk(300, 524_588, 2, false)), -1, SECOND);
        assertTrue(clock.expired(2 * SECOND).isEmpty(), "the next transaction's clock started at the commit, 1.9 s ago");
        String message = clock.expired(2 * SECOND + SECOND / 10).orElseThrow().getMessage();
        assertEquals("transaction " + GTID + "2 (binlog.000003:300), 524288 bytes so far, could not be written to Kafka within the"
                + " transaction timeout of 2s (its Kafka transaction was open 2s); raise producer.override.transaction.timeout.ms"
                + " (at most the brokers' transaction.max.timeout.ms)", message);
    }

    @Test
    void aCommittedTransactionDoesNotExpire() {
        clock.handedOut(List.of(chunk(4, 300, 1, true)), 0, 0);
        clock.committed(SECOND);
        assertTrue(clock.expired(60 * SECOND).isEmpty());
        clock.handedOut(List.of(chunk(300, 600, 2, false)), -1, 61 * SECOND);
        assertTrue(clock.expired(62 * SECOND).isEmpty());
        assertTrue(clock.expired(63 * SECOND).isPresent());
    }

    @Test
    void aCommitThatConnectHasNotDoneKeepsTheClockRunning() {
        clock.handedOut(List.of(chunk(4, 9_000_000, 1, true)), 0, 0);
        assertTrue(clock.expired(3 * SECOND).isPresent(), "a flush that outlives the timeout: the commit will fail");
    }

    @Test
    void anUnaskedCommitChangesNothing() {
        clock.handedOut(List.of(chunk(4, 300, 1, false)), -1, 0);
        clock.committed(SECOND);
        assertTrue(clock.expired(3 * SECOND).isPresent());
    }

    @Test
    void theConfigKeyIsConnectsProducerOverride() {
        Map<String, String> props = new HashMap<>(Map.of("source.host", "db", "source.user", "repl", "source.password", "x",
                "server.id", "5", "topic", "t", "kafka.bootstrap.servers", "k:9092"));
        assertEquals(Duration.ofMinutes(1), new BinlogSourceConfig(props).transactionTimeout(), "Kafka's producer default");
        props.put("producer.override.transaction.timeout.ms", "900000");
        assertEquals(Duration.ofMinutes(15), new BinlogSourceConfig(props).transactionTimeout());
        props.put("producer.override.transaction.timeout.ms", "500");
        assertThrows(ConfigException.class, () -> new BinlogSourceConfig(props));
    }
}
