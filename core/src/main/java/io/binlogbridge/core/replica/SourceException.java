package io.binlogbridge.core.replica;

import java.io.IOException;

/**
 * The source could not be read. {@link #retryable()} tells a relay whether to reconnect with backoff
 * (the source is down, restarting, or the connection dropped) or to stop and tell the operator (the
 * source refused our credentials, purged what we need, has binary logging off).
 */
public class SourceException extends IOException {
    private final boolean retryable;

    public SourceException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
