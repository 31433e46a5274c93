package io.binlogbridge.core.protocol;

import java.io.IOException;

/** An ERR packet from the server: MySQL's error code, SQL state and message. */
public class MySqlServerException extends IOException {
    private final int errorCode;
    private final String sqlState;

    public MySqlServerException(int errorCode, String sqlState, String message) {
        super(message);
        this.errorCode = errorCode;
        this.sqlState = sqlState;
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    @Override
    public String getMessage() {
        return "ERROR " + errorCode + " (" + sqlState + "): " + super.getMessage();
    }

    /** The server's own wording, without code and state. */
    public String serverMessage() {
        return super.getMessage();
    }
}
