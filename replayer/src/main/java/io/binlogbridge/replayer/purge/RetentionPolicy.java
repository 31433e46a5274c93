package io.binlogbridge.replayer.purge;

import io.binlogbridge.replayer.log.IndexedFile;
import java.time.Duration;
import java.util.List;

/**
 * What retention keeps in the topic: at least {@code files} files (the one being written included, as SHOW BINARY LOGS
 * counts them), at least {@code bytes} bytes of them, and every file written to within {@code time}. A file goes only
 * when dropping it breaks none of the three; zero means "no floor". The file being written is never dropped.
 */
public record RetentionPolicy(long files, long bytes, Duration time) {
    public RetentionPolicy {
        if (files < 0 || bytes < 0 || time.isNegative()) {
            throw new IllegalArgumentException("retention floors are never negative: " + files + " files, " + bytes + " bytes, " + time);
        }
    }

    /** MySQL's binlog_expire_logs_seconds: files whose last event is older than that go. */
    public static RetentionPolicy expireAfter(Duration time) {
        return new RetentionPolicy(0, 0, time);
    }

    /**
     * The file the log should begin with: every file before it may go. The first file when nothing may; null for an
     * empty log.
     */
    public IndexedFile keptFirst(List<IndexedFile> log, long nowEpochSeconds) {
        if (log.isEmpty()) {
            return null;
        }
        long keptBytes = 0;
        for (IndexedFile f : log) {
            keptBytes += f.size();
        }
        long cutoff = nowEpochSeconds - time.toSeconds();
        for (int i = 0; i < log.size() - 1; i++) {
            IndexedFile candidate = log.get(i);
            long remainingFiles = log.size() - i - 1;
            long remainingBytes = keptBytes - candidate.size();
            if (remainingFiles < files || remainingBytes < bytes || candidate.lastEventTime() >= cutoff) {
                return candidate;
            }
            keptBytes = remainingBytes;
        }
        return log.get(log.size() - 1);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("keeping");
        if (files > 0) {
            s.append(" at least ").append(files).append(" file(s)");
        }
        if (bytes > 0) {
            s.append(s.length() > 7 ? "," : "").append(" at least ").append(bytes).append(" bytes");
        }
        if (!time.isZero()) {
            s.append(s.length() > 7 ? "," : "").append(" the files written to in the last ").append(time.toSeconds()).append(" s");
        }
        return s.length() == 7 ? "keeping only the file being written" : s.toString();
    }
}
