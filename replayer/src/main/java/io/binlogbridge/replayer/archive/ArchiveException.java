package io.binlogbridge.replayer.archive;

/** The archive cannot go on; the message is the one line the user sees, naming the problem. */
public final class ArchiveException extends Exception {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
