package io.binlogbridge.reader;

/** The reader cannot go on: the topic holds something it cannot read, or the start cannot be served. */
public class ReaderException extends RuntimeException {
    public ReaderException(String message) {
        super(message);
    }

    public ReaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
