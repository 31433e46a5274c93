package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayerMainTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpExitsZero() {
        ReplayerMain.ExitException e = assertThrows(ReplayerMain.ExitException.class, () -> ReplayerMain.parseOrExit(
                new String[] {"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err)));
        assertEquals(0, e.code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--kafka-bootstrap"));
    }

    @Test
    void missingOptionIsOneLineAndExit2() {
        ReplayerMain.ExitException e = assertThrows(ReplayerMain.ExitException.class, () -> ReplayerMain.parseOrExit(
                new String[] {"--topic", "t"}, Map.of(), new PrintStream(out), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(ReplayerMain.EXIT_USAGE, e.code);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, msg.lines().count());
        assertTrue(msg.startsWith("replayer: missing required option --kafka-bootstrap"));
    }
}
