package io.binlogbridge.core.record;

import io.binlogbridge.schemas.RecordKind;

/**
 * One encoded record for the binlog topic. {@code commitPoint} is true when the log may end after it:
 * the last chunk of a transaction, or a header/events record. A writer only ever commits a Kafka
 * transaction right after a commit point, so no reader sees part of a MySQL transaction.
 * {@code ackRequested}: a semi-sync source waits for this transaction's acknowledgement, to be sent
 * once the record is durable.
 */
public record OutgoingRecord(
        byte[] key,
        byte[] value,
        RecordKind kind,
        String file,
        long startPosition,
        long endPosition,
        String gtid,
        int eventBytes,
        boolean commitPoint,
        boolean ackRequested) {

    /** This record, written in one Kafka transaction with the next: the log may not end after it. */
    public OutgoingRecord withoutCommitPoint() {
        return new OutgoingRecord(key, value, kind, file, startPosition, endPosition, gtid, eventBytes, false, ackRequested);
    }
}
