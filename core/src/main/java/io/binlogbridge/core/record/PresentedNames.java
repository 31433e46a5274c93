package io.binlogbridge.core.record;

/**
 * The names clients see for the log's files. Files of the log's first term keep the source's names, so a replica
 * can move from the source to the replayer with the coordinates it had. Every file of a later term is renamed to
 * continue that sequence: the previous presented name's base (the part before the last '.') and its number plus
 * one, zero-padded to the same width. A new source may reuse names of an earlier one (both have
 * {@code binlog.000001}) or use another base name; renamed, names strictly increase and never repeat, which
 * replicas, {@code mysqlbinlog --raw} and the archive rely on.
 */
public final class PresentedNames {
    /** Width of the number MySQL gives binlog files, used when a name has no numeric extension to follow. */
    private static final int DEFAULT_WIDTH = 6;

    private PresentedNames() {}

    /** The name after {@code previous}: {@code binlog.000003} → {@code binlog.000004}, {@code binlog.999999} → {@code binlog.1000000}. */
    public static String next(String previous) {
        int dot = previous.lastIndexOf('.');
        String digits = dot < 0 ? "" : previous.substring(dot + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 18) {
            // Not a MySQL-style name: start a numbered sequence after it rather than guess.
            return previous + "." + pad(1, DEFAULT_WIDTH);
        }
        return previous.substring(0, dot + 1) + pad(Long.parseLong(digits) + 1, digits.length());
    }

    /**
     * The presented name of a file that follows {@code previousPresented} in the log (null: the log's first file).
     *
     * @param term the file's term
     * @param firstTerm the term of the log's first file
     * @param sourceName the file's name on its source
     */
    public static String of(int term, int firstTerm, String sourceName, String previousPresented) {
        if (previousPresented == null || term == firstTerm) {
            return sourceName;
        }
        return next(previousPresented);
    }

    private static String pad(long number, int width) {
        String n = Long.toString(number);
        return n.length() >= width ? n : "0".repeat(width - n.length()) + n;
    }
}
