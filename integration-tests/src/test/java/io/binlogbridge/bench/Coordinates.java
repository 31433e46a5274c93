package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.util.List;

/** A binlog file name and position, as SHOW MASTER STATUS and replicas report them. */
record Coordinates(String file, long position) {
    /** Where the server's binlog ends now. */
    static Coordinates endOf(SourceDatabase db) {
        List<String> status = db.queryRows("SHOW MASTER STATUS").get(0);
        return new Coordinates(status.get(0), Long.parseLong(status.get(1)));
    }

    /**
     * Whether a reader at {@code file:position} has everything up to here. Binlog names carry a fixed-width
     * sequence number, so they order as strings.
     */
    boolean reachedBy(String file, long position) {
        int order = file.compareTo(this.file);
        return order > 0 || order == 0 && position >= this.position;
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
