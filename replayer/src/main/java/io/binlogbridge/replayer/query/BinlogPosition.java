package io.binlogbridge.replayer.query;

/** A binlog coordinate: file name and byte offset in it. */
public record BinlogPosition(String file, long position) {}
