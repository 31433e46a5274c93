package io.binlogbridge.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures from a JVM's {@code -Xlog:gc:file=...} log. A {@link #mark()} taken before a phase and
 * {@link #figuresSince(int)} after it give the figures of that phase alone, so one long-lived process can be
 * measured scenario by scenario.
 */
public final class GcLog {
    /** Heap figures in MB over the collections read. */
    public record HeapFigures(long maxBeforeGc, long maxAfterGc, long committed, int collections) {}

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Path file;

    public GcLog(Path file) {
        this.file = file;
    }

    /** The JVM option that writes this log. */
    public String jvmOption() {
        return "-Xlog:gc:file=" + file;
    }

    public Path file() {
        return file;
    }

    /** Where the log ends now: pass it to {@link #figuresSince(int)} after the phase. */
    public int mark() {
        return lines().size();
    }

    public HeapFigures figures() {
        return figuresSince(0);
    }

    public HeapFigures figuresSince(int mark) {
        List<String> lines = lines();
        long before = 0;
        long after = 0;
        long committed = 0;
        int collections = 0;
        for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                collections++;
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
                committed = Math.max(committed, Long.parseLong(m.group(3)));
            }
        }
        return new HeapFigures(before, after, committed, collections);
    }

    private List<String> lines() {
        try {
            // The JVM creates the file at start; a phase that begins earlier simply has no collections yet.
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
