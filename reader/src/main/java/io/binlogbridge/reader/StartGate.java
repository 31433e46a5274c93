package io.binlogbridge.reader;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.RecordKind;

/**
 * Decides where a file:position or timestamp start begins, as the reader walks the log from its first record. Once
 * open it stays open. GTID starts, resumes and the beginning are open from the first record: what they skip is
 * decided by the GTID state.
 */
final class StartGate {
    private final StartPosition start;
    private boolean open;
    private boolean seenTargetFile;

    StartGate(StartPosition start) {
        this.start = start;
        this.open = !(start instanceof StartPosition.FilePosition || start instanceof StartPosition.Timestamp);
    }

    boolean isOpen() {
        return open;
    }

    /**
     * Sees every record (of a transaction: its first chunk) of the file presented as {@code file}, before any is
     * admitted. Throws when the log shows that a file:position start names no place it holds.
     */
    void observe(BinlogRecord record, String file) {
        if (open || !(start instanceof StartPosition.FilePosition target)) {
            return;
        }
        int order = FileNames.compare(file, target.file());
        if (order > 0) {
            if (!seenTargetFile) {
                throw new StartNotFoundException("binlog file " + target.file() + " is not in the log (it continues with " + file + ")");
            }
            open = true;
        } else if (order == 0) {
            seenTargetFile = true;
            if (record.getKind() != RecordKind.TRANSACTION && record.getKind() != RecordKind.TERM_START) {
                requireNotInside(record, target);
            }
        }
    }

    /** Whether the whole transaction from {@code first} to {@code last}, in {@code file}, is one to return. */
    boolean admits(BinlogRecord first, BinlogRecord last, String file) {
        if (open) {
            return true;
        }
        if (start instanceof StartPosition.Timestamp t) {
            open = first.getEventTimestamp() >= t.time().getEpochSecond();
            return open;
        }
        StartPosition.FilePosition target = (StartPosition.FilePosition) start;
        if (!file.equals(target.file())) {
            return false;
        }
        if (first.getStartPosition() >= target.position()) {
            open = true;
            return true;
        }
        if (first.getStartPosition() < target.position() && target.position() < last.getEndPosition()) {
            throw new StartNotFoundException("position " + target.position() + " of " + target.file() + " is inside the transaction at "
                    + first.getStartPosition() + ".." + last.getEndPosition() + ", not at the start of one");
        }
        return false;
    }

    private static void requireNotInside(BinlogRecord record, StartPosition.FilePosition target) {
        if (record.getStartPosition() < target.position() && target.position() < record.getEndPosition()) {
            throw new StartNotFoundException("position " + target.position() + " of " + target.file() + " is inside the events at "
                    + record.getStartPosition() + ".." + record.getEndPosition() + ", not at the start of one");
        }
    }
}
