package io.binlogbridge.replayer.config;

/** A missing or malformed option; the message is one line meant for the user. Exit code 2. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
