package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final AtomicLong now = new AtomicLong();
    final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void pastFiveFailuresAHostIsAnsweredLaterAndLater() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(Duration.ZERO, throttle.failed("10.0.0.9"));
        }
        assertEquals(Duration.ofMillis(250), throttle.failed("10.0.0.9"));
        assertEquals(Duration.ofMillis(500), throttle.failed("10.0.0.9"));
        assertEquals(Duration.ofMillis(1000), throttle.failed("10.0.0.9"));
        for (int i = 0; i < 20; i++) {
            throttle.failed("10.0.0.9");
        }
        assertEquals(LoginThrottle.MAX_DELAY, throttle.failed("10.0.0.9"));
        assertEquals(Duration.ZERO, throttle.failed("10.0.0.10"), "other hosts are not slowed");
    }

    @Test
    void aQuietWindowOrASuccessForgetsTheHost() {
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("h");
        }
        now.addAndGet(LoginThrottle.WINDOW.toNanos() + 1);
        assertEquals(Duration.ZERO, throttle.failed("h"));
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("h");
        }
        throttle.succeeded("h");
        assertEquals(Duration.ZERO, throttle.failed("h"));
    }
}
