package io.binlogbridge.core.binlog;

/** QUERY_EVENT: where its statement text is, and the few statements that delimit transactions. */
public final class QueryEvent {
    private static final int POST_HEADER_LEN = 13;
    private static final byte[] BEGIN = ascii("BEGIN");
    private static final byte[] COMMIT = ascii("COMMIT");
    private static final byte[] ROLLBACK = ascii("ROLLBACK");
    private static final byte[] XA_START = ascii("XA START");

    private QueryEvent() {}

    /** Offset of the statement text: after the post-header, status variables and the NUL-ended db name. */
    public static int queryOffset(byte[] b, int off) {
        int post = off + BinlogConstants.LOG_EVENT_HEADER_LEN;
        int dbLength = b[post + 8] & 0xFF;
        int statusLength = LittleEndian.uint16(b, post + 11);
        return post + POST_HEADER_LEN + statusLength + dbLength + 1;
    }

    public static int queryLength(byte[] b, int off, int checksumAlgorithm) {
        int end = off + (int) EventHeader.eventSize(b, off) - ChecksumAlgorithms.trailerLength(checksumAlgorithm);
        return Math.max(0, end - queryOffset(b, off));
    }

    public static String query(byte[] b, int off, int checksumAlgorithm) {
        return new String(b, queryOffset(b, off), queryLength(b, off, checksumAlgorithm), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static boolean isBegin(byte[] b, int off, int alg) {
        return equalsText(b, off, alg, BEGIN) || startsWithText(b, off, alg, XA_START);
    }

    /** COMMIT or ROLLBACK as the whole statement; "ROLLBACK TO SAVEPOINT" does not end anything. */
    public static boolean isCommitOrRollback(byte[] b, int off, int alg) {
        return equalsText(b, off, alg, COMMIT) || equalsText(b, off, alg, ROLLBACK);
    }

    private static boolean equalsText(byte[] b, int off, int alg, byte[] text) {
        return queryLength(b, off, alg) == text.length && startsWithText(b, off, alg, text);
    }

    private static boolean startsWithText(byte[] b, int off, int alg, byte[] text) {
        if (queryLength(b, off, alg) < text.length) {
            return false;
        }
        int q = queryOffset(b, off);
        for (int i = 0; i < text.length; i++) {
            if (Character.toUpperCase(b[q + i]) != text[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
