package io.binlogbridge.reader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a reader stands: right after the last transaction it returned (and the records after it that hold no
 * transaction for the caller). Give it back as {@link StartPosition#resume} to continue there, with nothing lost
 * or repeated; store it as {@link #toString()} text and read it back with {@link #parse}.
 *
 * @param offset the topic offset of the next record to read
 * @param flavor {@code MYSQL} or {@code MARIADB}; null before the reader met a record
 * @param gtids what the log had executed up to here: a MySQL GTID set or a MariaDB GTID position; null when not
 *     known (the log has no GTIDs). Also a valid {@link StartPosition#gtidSet} when the offset is no longer in the
 *     topic (purged).
 * @param firstTerm the term of the log's first file, for the presented names of later terms' files
 * @param term the term of the file the position is in
 * @param sourceFile that file's name on its source
 * @param file that file's presented name; null before the reader met a file
 */
public record ReaderPosition(long offset, String flavor, String gtids, int firstTerm, int term, String sourceFile, String file) {

    public ReaderPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        if (flavor != null && !flavor.equals("MYSQL") && !flavor.equals("MARIADB")) {
            throw new IllegalArgumentException("flavor " + flavor + " is neither MYSQL nor MARIADB");
        }
        if ((sourceFile == null) != (file == null)) {
            throw new IllegalArgumentException("sourceFile and file go together");
        }
    }

    /** {@code offset=…;flavor=…;gtids=…;firstTerm=…;term=…;sourceFile=…;file=…}, the unknown parts left out. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("offset=").append(offset);
        append(sb, "flavor", flavor);
        append(sb, "gtids", gtids);
        if (file != null) {
            append(sb, "firstTerm", Integer.toString(firstTerm));
            append(sb, "term", Integer.toString(term));
            append(sb, "sourceFile", sourceFile);
            append(sb, "file", file);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value != null) {
            if (value.indexOf(';') >= 0) {
                throw new IllegalArgumentException(key + " '" + value + "' contains ';'");
            }
            sb.append(';').append(key).append('=').append(value);
        }
    }

    /** The position whose {@link #toString()} is {@code text}. */
    public static ReaderPosition parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : Objects.requireNonNull(text, "text").split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a reader position (expected key=value parts): " + text);
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String offset = fields.get("offset");
        if (offset == null) {
            throw new IllegalArgumentException("not a reader position (no offset): " + text);
        }
        try {
            String file = fields.get("file");
            return new ReaderPosition(Long.parseLong(offset), fields.get("flavor"), fields.get("gtids"),
                    file == null ? 0 : Integer.parseInt(fields.get("firstTerm")), file == null ? 0 : Integer.parseInt(fields.get("term")),
                    fields.get("sourceFile"), file);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("not a reader position: " + text, e);
        }
    }
}
