package io.binlogbridge.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

class CommitRaceCheckTest {
    @Test
    void aCommittedTransactionWhoseLastRecordIsOursIsTheRace() {
        assertTrue(CommitRaceCheck.nobodyTookOver(TransactionState.COMPLETE_COMMIT, OptionalLong.of(1200), 1200));
        // Our failed transaction's records may have been appended after our last committed one.
        assertTrue(CommitRaceCheck.nobodyTookOver(TransactionState.COMPLETE_COMMIT, OptionalLong.of(1200), 1260));
    }

    @Test
    void aCommittedRecordPastOursIsANewcomersCommit() {
        assertFalse(CommitRaceCheck.nobodyTookOver(TransactionState.COMPLETE_COMMIT, OptionalLong.of(1262), 1260));
    }

    @Test
    void aNewcomerThatHasNotCommittedLeavesAnotherState() {
        for (TransactionState state : new TransactionState[] {TransactionState.EMPTY, TransactionState.ONGOING,
                TransactionState.COMPLETE_ABORT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE}) {
            assertFalse(CommitRaceCheck.nobodyTookOver(state, OptionalLong.of(1200), 1260), state.toString());
        }
    }

    @Test
    void withoutARecordOfOursNothingProvesTheRace() {
        assertFalse(CommitRaceCheck.nobodyTookOver(TransactionState.COMPLETE_COMMIT, OptionalLong.of(10), -1));
        assertFalse(CommitRaceCheck.nobodyTookOver(TransactionState.COMPLETE_COMMIT, OptionalLong.empty(), 10));
    }

    @Test
    void onlyAnInvalidStateWithoutAFenceErrorIsChecked() {
        assertTrue(CommitRaceCheck.invalidTxnStateOnly(new KafkaException("commit", new InvalidTxnStateException("x"))));
        assertFalse(CommitRaceCheck.invalidTxnStateOnly(new KafkaException("commit")));
        InvalidTxnStateException fencedUnder = new InvalidTxnStateException("x");
        fencedUnder.initCause(new ProducerFencedException("y"));
        assertFalse(CommitRaceCheck.invalidTxnStateOnly(fencedUnder));
        InvalidProducerEpochException oldEpoch = new InvalidProducerEpochException("y");
        oldEpoch.initCause(new InvalidTxnStateException("x"));
        assertFalse(CommitRaceCheck.invalidTxnStateOnly(new KafkaException("commit", oldEpoch)));
    }
}
