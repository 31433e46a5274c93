package io.binlogbridge.reader;

/**
 * A GTID start asks for transactions the log does not hold: the log begins after them (it was started in the
 * middle of the source's history, or purged). As MySQL's dump answers 1236 for purged GTIDs.
 */
public class MissingHistoryException extends ReaderException {
    public MissingHistoryException(String message) {
        super(message);
    }
}
