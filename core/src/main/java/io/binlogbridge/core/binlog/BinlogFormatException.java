package io.binlogbridge.core.binlog;

import java.io.IOException;

/** The event stream is not a valid binlog: bad length, checksum mismatch, impossible order. */
public class BinlogFormatException extends IOException {
    public BinlogFormatException(String message) {
        super(message);
    }
}
