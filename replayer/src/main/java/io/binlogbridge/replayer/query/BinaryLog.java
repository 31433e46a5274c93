package io.binlogbridge.replayer.query;

/** One row of SHOW BINARY LOGS. */
public record BinaryLog(String name, long size, boolean encrypted) {}
