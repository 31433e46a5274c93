package io.binlogbridge.server.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file, re-read when its modification time or size changes (checked every second, and on
 * {@link #reload()}, which SIGHUP calls). A new version that does not parse is refused with an ERROR and the
 * accounts in use stay; a good one replaces them for new connections and its changes are logged.
 */
public final class UsersFileWatcher implements Supplier<UserAccounts>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFileWatcher.class);

    private final Path path;
    private volatile UserAccounts accounts;
    private Object version;
    private ScheduledExecutorService poller;

    private UsersFileWatcher(Path path, UserAccounts accounts, Object version) {
        this.path = path;
        this.accounts = accounts;
        this.version = version;
    }

    /** Reads the file once; fails (for a start-up error) if it cannot be read or parsed. */
    public static UsersFileWatcher load(Path path) throws UsersFileFormatException {
        Object version = versionOf(path);
        return new UsersFileWatcher(path, read(path), version);
    }

    /** Starts checking the file every {@code periodMillis}. */
    public synchronized UsersFileWatcher watch(long periodMillis) {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "users-file-watcher");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::reloadIfChanged, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public UserAccounts get() {
        return accounts;
    }

    /** Re-reads the file whether or not it looks changed. */
    public synchronized void reload() {
        version = safeVersionOf(path);
        apply();
    }

    synchronized void reloadIfChanged() {
        Object now = safeVersionOf(path);
        if (!Objects.equals(now, version)) {
            version = now;
            apply();
        }
    }

    private void apply() {
        UserAccounts next;
        try {
            next = read(path);
        } catch (UsersFileFormatException e) {
            LOG.error("users file not reloaded, the accounts loaded before stay in use: {}", e.getMessage());
            return;
        }
        List<String> changes = next.changesSince(accounts);
        accounts = next;
        LOG.info("users file {} reloaded: {}", path, changes.isEmpty() ? "no change" : String.join("; ", changes));
    }

    private static UserAccounts read(Path path) throws UsersFileFormatException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsersFileFormatException("cannot read users file " + path + ": " + e.getMessage());
        }
        return UsersFileParser.parse(lines, path.toString(), LOG::warn);
    }

    private static Object versionOf(Path path) throws UsersFileFormatException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            throw new UsersFileFormatException("cannot read users file " + path + ": " + e.getMessage());
        }
    }

    private static Object safeVersionOf(Path path) {
        try {
            return versionOf(path);
        } catch (UsersFileFormatException e) {
            return e.getMessage();
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
