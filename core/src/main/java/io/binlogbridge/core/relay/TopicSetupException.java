package io.binlogbridge.core.relay;

/**
 * The binlog topic cannot be created, or an existing one breaks the log contract (more than one
 * partition, time or size retention, records too small for a chunk). The message says what to fix.
 */
public class TopicSetupException extends Exception {
    public TopicSetupException(String message) {
        super(message);
    }

    public TopicSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
