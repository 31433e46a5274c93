package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayerHttpOptionsTest {
    private static final String[] REQUIRED = {"--kafka-bootstrap", "k:9092", "--topic", "t", "--port", "3307", "--users-file", "u"};

    private static String[] with(String... extra) {
        String[] args = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        return args;
    }

    @Test
    void theEndpointIsOffUnlessAskedAndListensOnLoopbackByDefault() throws Exception {
        ReplayerConfig off = ReplayerConfig.parse(with(), Map.of());
        assertNull(off.httpPort());
        assertEquals("127.0.0.1", off.httpBindAddress());
        assertEquals("0.0.0.0", off.bindAddress(), "the MySQL port keeps its own address");
        ReplayerConfig on = ReplayerConfig.parse(with("--http-port", "9102", "--http-bind-address", "0.0.0.0"), Map.of());
        assertEquals(9102, on.httpPort());
        assertEquals("0.0.0.0", on.httpBindAddress());
        assertEquals(9103, ReplayerConfig.parse(with(), Map.of("BINLOG_BRIDGE_HTTP_PORT", "9103")).httpPort());
    }

    @Test
    void aBadPortIsOneLineAndExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReplayerMain.ExitException e = assertThrows(ReplayerMain.ExitException.class, () -> ReplayerMain.parseOrExit(
                with("--http-port", "70000"), Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(ReplayerMain.EXIT_USAGE, e.code);
        assertEquals("replayer: --http-port must be 0..65535, got 70000\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpDocumentsBothOptions() {
        String help = ReplayerConfig.DEFINITION.help();
        assertTrue(help.contains("--http-port N"), help);
        assertTrue(help.contains("--http-bind-address VALUE"), help);
    }
}
