package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.schemas.Flavor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    @Test
    void sourceFlavorForAnEmptyLog() throws Exception {
        String[] required = {"--kafka-bootstrap", "k:9092", "--topic", "t", "--port", "3307", "--users-file", "u"};
        assertEquals(Flavor.MYSQL, ReplayerConfig.parse(required, Map.of()).sourceFlavor());
        assertEquals(Flavor.MARIADB, ReplayerConfig.parse(with(required, "--source-flavor", "MariaDB"), Map.of()).sourceFlavor());
        OptionException e = assertThrows(OptionException.class,
                () -> ReplayerConfig.parse(with(required, "--source-flavor", "percona"), Map.of()));
        assertEquals("--source-flavor must be mysql or mariadb, got percona", e.getMessage());
    }

    static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
