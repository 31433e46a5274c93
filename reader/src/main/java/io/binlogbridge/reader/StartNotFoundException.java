package io.binlogbridge.reader;

/**
 * A file:position start names no place the log holds: the file is not in the log, or the position is inside an
 * event or transaction rather than at one's start. Also thrown when a {@link StartPosition#resume} offset is no longer
 * in the topic (purged): start from the position's {@link ReaderPosition#gtids()} instead.
 */
public class StartNotFoundException extends ReaderException {
    public StartNotFoundException(String message) {
        super(message);
    }

    public StartNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
