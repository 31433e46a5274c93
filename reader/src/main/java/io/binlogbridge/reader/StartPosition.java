package io.binlogbridge.reader;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a {@link TopicReader} begins. Every start but {@link #resume} reads the log from the topic's first record,
 * taking only metadata from the records before the start (no event is decoded there), so the log's file names and
 * GTID state are known exactly at the start.
 */
public sealed interface StartPosition {

    /** The log's first transaction. */
    static StartPosition beginning() {
        return Beginning.INSTANCE;
    }

    /**
     * Every transaction the set does not contain, each once: a MySQL GTID set ({@code uuid:1-10,uuid2:1-3}) or a
     * MariaDB GTID position ({@code 0-1-100,1-2-7}), the way a replica's auto-position works. The reader fails with
     * {@link MissingHistoryException} when the log begins after transactions the set lacks.
     */
    static StartPosition gtidSet(String gtids) {
        return new GtidSet(gtids);
    }

    /**
     * The first transaction that starts at or after {@code position} in {@code file}, then everything after it.
     * {@code file} is the name the replayer presents (a later term's files continue the first term's sequence, see
     * docs/replayer.md, "Terms"), so coordinates from a replica of the replayer or from {@link Transaction#file()} work.
     */
    static StartPosition filePosition(String file, long position) {
        return new FilePosition(file, position);
    }

    /**
     * The first transaction whose binlog timestamp (the source's clock, whole seconds) is at or after {@code time},
     * then everything after it.
     */
    static StartPosition timestamp(Instant time) {
        return new Timestamp(time);
    }

    /** Right after the last transaction a reader returned before {@link TopicReader#position()} was taken. */
    static StartPosition resume(ReaderPosition position) {
        return new Resume(position);
    }

    /**
     * The start {@code text} names, as a start's {@code toString()} writes it: {@code beginning},
     * {@code gtid:SET}, {@code file:NAME:POS}, {@code time:2026-12-02T14:00:00Z} or {@code resume:POSITION}
     * ({@link ReaderPosition#toString()}).
     */
    static StartPosition parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            if (text.equals("beginning")) {
                return beginning();
            } else if (text.startsWith("gtid:")) {
                return gtidSet(text.substring(5));
            } else if (text.startsWith("file:")) {
                int colon = text.lastIndexOf(':');
                if (colon > 5) {
                    return filePosition(text.substring(5, colon), Long.parseLong(text.substring(colon + 1)));
                }
            } else if (text.startsWith("time:")) {
                return timestamp(Instant.parse(text.substring(5)));
            } else if (text.startsWith("resume:")) {
                return resume(ReaderPosition.parse(text.substring(7)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a start position: " + text + " (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("not a start position: " + text
                + " (expected beginning, gtid:SET, file:NAME:POS, time:INSTANT or resume:POSITION)");
    }

    /** The log's first transaction. */
    enum Beginning implements StartPosition {
        INSTANCE;

        @Override
        public String toString() {
            return "beginning";
        }
    }

    /** See {@link StartPosition#gtidSet}. */
    record GtidSet(String gtids) implements StartPosition {
        public GtidSet {
            Objects.requireNonNull(gtids, "gtids");
        }

        @Override
        public String toString() {
            return "gtid:" + gtids;
        }
    }

    /** See {@link StartPosition#filePosition}. */
    record FilePosition(String file, long position) implements StartPosition {
        public FilePosition {
            Objects.requireNonNull(file, "file");
            if (position < 0) {
                throw new IllegalArgumentException("position " + position + " is negative");
            }
        }

        @Override
        public String toString() {
            return "file:" + file + ":" + position;
        }
    }

    /** See {@link StartPosition#timestamp}. */
    record Timestamp(Instant time) implements StartPosition {
        public Timestamp {
            Objects.requireNonNull(time, "time");
        }

        @Override
        public String toString() {
            return "time:" + time;
        }
    }

    /** See {@link StartPosition#resume}. */
    record Resume(ReaderPosition position) implements StartPosition {
        public Resume {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String toString() {
            return "resume:" + position;
        }
    }
}
