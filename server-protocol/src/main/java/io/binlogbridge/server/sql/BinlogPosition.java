package io.binlogbridge.server.sql;

/** A binlog coordinate: file name and byte offset in it. */
public record BinlogPosition(String file, long position) {}
