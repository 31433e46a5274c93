package io.binlogbridge.replayer.dump;

import io.binlogbridge.core.protocol.MySqlConstants;

/** The dump cannot be served; sent to the client as ERR 1236 with MySQL's wording. */
public final class DumpRefusedException extends Exception {
    private final int errorCode;

    public DumpRefusedException(String message) {
        this(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, message);
    }

    public DumpRefusedException(int errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
