package io.binlogbridge.core.relay;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;

/**
 * What the Kafka transaction being written holds, for the one line that names a MySQL transaction too big
 * to be written within the transaction timeout: since when it is open, and its largest MySQL transaction
 * (GTID, where it starts, bytes handed to Kafka so far). Written by the thread that hands records to the
 * producer, read by whichever thread learns of a failure.
 */
public final class OpenKafkaTransaction {
    private long startNanos;
    private boolean open;
    private String file;
    private long position = -1;
    private String gtid;
    private long bytes;
    private boolean complete;
    private Largest largest;

    /** The MySQL transaction that took most of an open Kafka transaction. */
    public record Largest(String gtid, String file, long position, long bytes, boolean complete) {
        /** "GTID (file:position)", or "at file:position" for a source without GTIDs. */
        public String name() {
            return gtid != null && !gtid.isEmpty() ? gtid + " (" + file + ":" + position + ")" : "at " + file + ":" + position;
        }

        /** "N bytes" for a complete transaction, "N bytes so far" for one still being read. */
        public String size() {
            return bytes + (complete ? " bytes" : " bytes so far");
        }
    }

    /** A Kafka transaction starts now (before its first record is sent, so never later than the coordinator's clock). */
    public synchronized void begin(long nanos) {
        open = true;
        startNanos = nanos;
        largest = null;
        file = null;
        position = -1;
    }

    /** A record of the open Kafka transaction. */
    public synchronized void add(OutgoingRecord record) {
        if (record.kind() != RecordKind.TRANSACTION) {
            return;
        }
        if (record.startPosition() != position || !record.file().equals(file)) {
            file = record.file();
            position = record.startPosition();
            gtid = record.gtid();
        }
        bytes = record.endPosition() - record.startPosition();
        complete = record.commitPoint();
        if (largest == null || bytes >= largest.bytes()) {
            largest = new Largest(gtid, file, position, bytes, complete);
        }
    }

    /** The Kafka transaction committed (or was abandoned). */
    public synchronized void end() {
        open = false;
        largest = null;
    }

    /** How long the Kafka transaction has been open at {@code nanos}; zero when none is. */
    public synchronized Duration openFor(long nanos) {
        return open ? Duration.ofNanos(nanos - startNanos) : Duration.ZERO;
    }

    /** The largest MySQL transaction of the open Kafka transaction, or null (none open, or no TRANSACTION record yet). */
    public synchronized Largest largest() {
        return open ? largest : null;
    }
}
