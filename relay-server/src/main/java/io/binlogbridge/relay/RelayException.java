package io.binlogbridge.relay;

/**
 * The relay cannot go on and retrying will not help: the operator must act (bad credentials, a purged
 * position, a topic that would lose data, another relay took over). The message is the one line the
 * relay prints before it exits.
 */
public class RelayException extends Exception {
    public RelayException(String message) {
        super(message);
    }

    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
