package io.binlogbridge.core.replica;

/** Where a relay with an empty topic starts reading the source: {@code --start}. */
public sealed interface StartPosition {
    /** The oldest binlog file the source still has, from its beginning. */
    record Earliest() implements StartPosition {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    /** The source's current end of log: only what is written from now on. */
    record Latest() implements StartPosition {
        @Override
        public String toString() {
            return "latest";
        }
    }

    record FilePosition(String file, long position) implements StartPosition {
        @Override
        public String toString() {
            return "file:" + file + ":" + position;
        }
    }

    /** Everything after this GTID set (MySQL uuid:intervals, or a MariaDB domain-server-seq list). */
    record Gtid(String gtidSet) implements StartPosition {
        @Override
        public String toString() {
            return "gtid:" + gtidSet;
        }
    }

    /**
     * Parses {@code earliest}, {@code latest}, {@code file:NAME:POS} or {@code gtid:SET}.
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    static StartPosition parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--start must be earliest, latest, file:NAME:POS or gtid:SET");
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("earliest")) {
            return new Earliest();
        }
        if (t.equalsIgnoreCase("latest")) {
            return new Latest();
        }
        if (t.startsWith("file:")) {
            int colon = t.lastIndexOf(':');
            String name = colon > 5 ? t.substring(5, colon) : "";
            String pos = colon > 5 ? t.substring(colon + 1) : "";
            long p;
            try {
                p = Long.parseLong(pos);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (name.isEmpty() || p < 4 || p > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("--start " + text + ": expected file:NAME:POS with a binlog file name and a position of at least 4, e.g. file:binlog.000003:4");
            }
            return new FilePosition(name, p);
        }
        if (t.startsWith("gtid:")) {
            String set = t.substring(5).trim();
            if (set.isEmpty()) {
                throw new IllegalArgumentException("--start " + text + ": expected gtid:SET, e.g. gtid:3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5 or gtid:0-1-100");
            }
            return new Gtid(set);
        }
        throw new IllegalArgumentException("--start " + text + ": must be earliest, latest, file:NAME:POS or gtid:SET");
    }
}
