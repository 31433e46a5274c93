package io.binlogbridge.core.protocol;

import java.io.IOException;

/** The peer sent something the MySQL protocol does not allow here. */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
