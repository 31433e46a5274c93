package io.binlogbridge.server.sql;

/** One row of SHOW BINARY LOGS. */
public record BinaryLog(String name, long size, boolean encrypted) {}
