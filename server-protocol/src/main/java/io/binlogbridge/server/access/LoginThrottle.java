package io.binlogbridge.server.access;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing: past {@link #FREE_FAILURES} failed logins from one host within {@link #WINDOW}, each
 * further failure from that host is answered late, the delay doubling from {@link #FIRST_DELAY} up to
 * {@link #MAX_DELAY}; a successful login or a quiet window forgets the host. Logged once per host and window.
 */
public final class LoginThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    static final int FREE_FAILURES = 5;
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration FIRST_DELAY = Duration.ofMillis(250);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /** Hosts remembered at most; beyond it, quiet ones are forgotten first. */
    private static final int MAX_HOSTS = 10_000;

    private record Failures(long windowStartNanos, int count) {}

    private final ConcurrentHashMap<String, Failures> byHost = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public LoginThrottle() {
        this(System::nanoTime);
    }

    LoginThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A login from {@code host} failed: how long to wait before answering it, 0 for at once. */
    public Duration failed(String host) {
        long now = nanoClock.getAsLong();
        if (byHost.size() > MAX_HOSTS) {
            byHost.values().removeIf(f -> now - f.windowStartNanos() > WINDOW.toNanos());
        }
        Failures f = byHost.compute(host, (h, old) -> old == null || now - old.windowStartNanos() > WINDOW.toNanos()
                ? new Failures(now, 1) : new Failures(old.windowStartNanos(), old.count() + 1));
        int over = f.count() - FREE_FAILURES;
        if (over <= 0) {
            return Duration.ZERO;
        }
        if (over == 1) {
            LOG.warn("{} failed logins from host {} within {} s: its failed logins are answered late from now on (up to {} s)",
                    f.count(), host, WINDOW.toSeconds(), MAX_DELAY.toSeconds());
        }
        long delay = FIRST_DELAY.toMillis() << Math.min(over - 1, 16);
        return Duration.ofMillis(Math.min(delay, MAX_DELAY.toMillis()));
    }

    /** A login from {@code host} succeeded. */
    public void succeeded(String host) {
        byHost.remove(host);
    }
}
