package io.binlogbridge.core.record;

/** Where the assembler hands finished records; blocking is how backpressure reaches the source socket. */
@FunctionalInterface
public interface RecordSink {
    void accept(OutgoingRecord record) throws InterruptedException;
}
