package io.binlogbridge.core.config;

/** A command-line option is missing or malformed; the message is one line fit to print. */
public class OptionException extends Exception {
    public OptionException(String message) {
        super(message);
    }
}
