package io.binlogbridge.core.config;

/** How an option's text is read. */
public enum OptionType {
    STRING,
    INT,
    LONG,
    /** A size with an optional unit: 1048576, 1024k, 1m, 1g. */
    BYTES,
    /** A duration with a unit: 500ms, 2s, 5m, 1h, 7d. */
    DURATION,
    /** A switch without a value on the command line; "true"/"false" in env and files. */
    FLAG,
    /** host:port. */
    ADDRESS
}
