package io.binlogbridge.reader;

import io.binlogbridge.core.record.PresentedNames;

/**
 * The names the replayer presents for the log's files, followed as the reader walks the log: files of the log's
 * first term keep their source's names; each file of a later term takes the previous presented name's number plus
 * one, so names strictly increase across terms (a new source may reuse an earlier one's names).
 *
 * <p>The rule is core's {@link PresentedNames}, the one the replayer presents the files by.
 */
final class FileNames {
    private int firstTerm;
    private int term;
    private String sourceFile;
    private String presented;

    /** No file seen yet. */
    FileNames() {}

    /** The state after a file of the log: for a reader resuming in the middle of the log. */
    FileNames(int firstTerm, int term, String sourceFile, String presented) {
        this.firstTerm = firstTerm;
        this.term = term;
        this.sourceFile = sourceFile;
        this.presented = presented;
    }

    /** The presented name of the file (term, sourceFile) a record belongs to; records come in log order. */
    String enter(int recordTerm, String recordSourceFile) {
        if (presented != null && recordTerm == term && recordSourceFile.equals(sourceFile)) {
            return presented;
        }
        if (presented == null) {
            firstTerm = recordTerm;
        }
        presented = PresentedNames.of(recordTerm, firstTerm, recordSourceFile, presented);
        term = recordTerm;
        sourceFile = recordSourceFile;
        return presented;
    }

    /**
     * Orders presented names as the log does: same base, by number (so {@code binlog.1000000} follows
     * {@code binlog.999999}); otherwise as text.
     */
    static int compare(String a, String b) {
        int da = a.lastIndexOf('.');
        int db = b.lastIndexOf('.');
        if (da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db))) {
            String na = a.substring(da + 1);
            String nb = b.substring(db + 1);
            if (isNumber(na) && isNumber(nb)) {
                return Long.compare(Long.parseLong(na), Long.parseLong(nb));
            }
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    boolean isEmpty() {
        return presented == null;
    }

    int firstTerm() {
        return firstTerm;
    }

    int term() {
        return term;
    }

    String sourceFile() {
        return sourceFile;
    }

    String presented() {
        return presented;
    }
}
