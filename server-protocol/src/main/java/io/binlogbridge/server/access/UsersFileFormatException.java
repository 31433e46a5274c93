package io.binlogbridge.server.access;

/** A users file that cannot be used; the message names the file and line. */
public final class UsersFileFormatException extends Exception {
    public UsersFileFormatException(String message) {
        super(message);
    }
}
