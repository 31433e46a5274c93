package io.binlogbridge.core.binlog;

import java.nio.charset.StandardCharsets;

/** Fields of a FORMAT_DESCRIPTION_EVENT, read in place. */
public final class FormatDescription {
    private static final int SERVER_VERSION_OFFSET = BinlogConstants.LOG_EVENT_HEADER_LEN + 2;
    private static final int SERVER_VERSION_LENGTH = 50;

    private FormatDescription() {}

    public static int binlogVersion(byte[] b, int off) {
        return LittleEndian.uint16(b, off + BinlogConstants.LOG_EVENT_HEADER_LEN);
    }

    public static String serverVersion(byte[] b, int off) {
        int start = off + SERVER_VERSION_OFFSET;
        int end = start;
        while (end < start + SERVER_VERSION_LENGTH && b[end] != 0) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.US_ASCII);
    }

    /** MySQL 5.6.1 introduced checksums; MariaDB's 10.x versions compare above that too. */
    static boolean versionHasChecksums(String version) {
        int[] v = parseVersion(version);
        return v[0] > 5 || (v[0] == 5 && (v[1] > 6 || (v[1] == 6 && v[2] >= 1)));
    }

    static int[] parseVersion(String version) {
        int[] parts = new int[3];
        int i = 0;
        int p = 0;
        while (p < version.length() && i < 3) {
            int start = p;
            while (p < version.length() && Character.isDigit(version.charAt(p))) {
                p++;
            }
            if (p == start) {
                break;
            }
            parts[i++] = Integer.parseInt(version.substring(start, p));
            if (p < version.length() && version.charAt(p) == '.') {
                p++;
            } else {
                break;
            }
        }
        return parts;
    }
}
