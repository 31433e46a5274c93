package io.binlogbridge.replayer.query;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads the rows of SHOW BINLOG EVENTS from the log, on a thread of its own: never the caller's (an event loop). */
public interface BinlogEventsSource {
    /**
     * The rows {Log_name, Pos, Event_type, Server_id, End_log_pos, Info} of the request's events; completes
     * exceptionally with {@link BinlogEventsException} when MySQL would fail the statement.
     */
    CompletableFuture<List<List<String>>> events(BinlogEventsRequest request);

    /**
     * @param file   a file of the log, by its presented name
     * @param from   the position of the first event to show (MySQL starts at 4 below that)
     * @param skip   events to leave out after {@code from} (LIMIT's offset)
     * @param limit  the most rows to return, -1 for no limit
     */
    record BinlogEventsRequest(String file, long from, long skip, long limit) {}

    /** A failure MySQL reports as ER_ERROR_WHEN_EXECUTING_COMMAND; the message is the part after its prefix. */
    final class BinlogEventsException extends RuntimeException {
        public BinlogEventsException(String message) {
            super(message, null, false, false);
        }
    }
}
