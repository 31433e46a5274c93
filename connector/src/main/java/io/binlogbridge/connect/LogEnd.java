package io.binlogbridge.connect;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordSink;
import io.binlogbridge.schemas.BinlogKey;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The last record the log holds or will hold: where the next relay pass continues.
 *
 * <p>core's {@code SourceReplication} continues after a record that completes a transaction. Without
 * exactly-once on the worker, Connect writes records without a Kafka transaction, so a worker that dies
 * in the middle of a big MySQL transaction leaves its first chunks in the topic; and inside one task,
 * a source failure can cut a transaction whose first chunks were already handed to Connect (they are in
 * Connect's open transaction, or already written). In both cases the pass restarts the source's dump at
 * that transaction's first event and {@link #filter} drops the chunks the log already has: they are
 * deterministic (same source bytes, same chunk size), so the log goes on with the next chunk, without
 * a gap or a duplicate key.
 */
final class LogEnd {
    private static final BinlogRecordCodec CODEC = new BinlogRecordCodec();

    private final BinlogRecord last;

    private LogEnd(BinlogRecord last) {
        this.last = last;
    }

    static LogEnd empty() {
        return new LogEnd(null);
    }

    static LogEnd of(Optional<BinlogRecord> last) {
        return new LogEnd(last.orElse(null));
    }

    static LogEnd of(OutgoingRecord record) {
        return new LogEnd(CODEC.decodeValue(record.value()));
    }

    boolean isEmpty() {
        return last == null;
    }

    /** True when the log ends inside a transaction (some of its chunks are in, the rest is not). */
    boolean partial() {
        return last != null && !last.getLastChunk();
    }

    /** What to give {@code SourceReplication.run}: the record to continue after. */
    Optional<BinlogRecord> continueAfter() {
        if (last == null) {
            return Optional.empty();
        }
        if (last.getLastChunk()) {
            return Optional.of(last);
        }
        // A stand-in that ends where the partial transaction begins: the dump restarts at its first event.
        BinlogRecord start = BinlogRecord.newBuilder(last)
                .setLastChunk(true)
                .setEndPosition(last.getStartPosition())
                .setEvents(ByteBuffer.allocate(0))
                .build();
        return Optional.of(start);
    }

    /** The sink for one pass: drops the chunks of a partial transaction that the log already has. */
    RecordSink filter(RecordSink next) {
        if (!partial()) {
            return next;
        }
        int term = last.getTerm();
        String file = last.getFile();
        long position = last.getStartPosition();
        int lastChunk = last.getChunk();
        return new RecordSink() {
            private boolean skipping = true;

            @Override
            public void accept(OutgoingRecord record) throws InterruptedException {
                if (skipping) {
                    BinlogKey key = CODEC.decodeKey(record.key());
                    if (key.getTerm() == term && file.equals(key.getFile().toString()) && key.getPosition() == position
                            && key.getChunk() <= lastChunk) {
                        return;
                    }
                    skipping = false;
                }
                next.accept(record);
            }
        };
    }

    @Override
    public String toString() {
        return last == null ? "empty log"
                : last.getFile() + ":" + last.getStartPosition() + " chunk " + last.getChunk() + (last.getLastChunk() ? " (last)" : " (partial)");
    }
}
