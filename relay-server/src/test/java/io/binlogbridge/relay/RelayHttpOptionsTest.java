package io.binlogbridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.http.MeteredEndpoint;
import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.Options;
import io.binlogbridge.relay.ops.RelayEndpoint;
import io.binlogbridge.relay.ops.RelayProgress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayHttpOptionsTest {
    private static Options options(Map<String, String> env, String... extra) throws OptionException {
        List<String> args = new ArrayList<>(List.of("--source-host", "db", "--source-user", "repl", "--server-id", "7",
                "--topic", "t", "--kafka-bootstrap", "k:9092"));
        args.addAll(List.of(extra));
        return RelayOptions.definitions().parse(args.toArray(String[]::new), env);
    }

    @Test
    void theEndpointIsOffUnlessAsked() throws Exception {
        Options o = options(Map.of());
        assertEquals(-1, RelayEndpoint.port(o));
        assertEquals("127.0.0.1", o.string(RelayOptions.HTTP_BIND_ADDRESS));
        assertEquals(9101, RelayEndpoint.port(options(Map.of(), "--http-port", "9101")));
        assertEquals(9102, RelayEndpoint.port(options(Map.of("BINLOG_BRIDGE_HTTP_PORT", "9102"))));
        assertEquals("0.0.0.0", options(Map.of("BINLOG_BRIDGE_HTTP_BIND_ADDRESS", "0.0.0.0")).string(RelayOptions.HTTP_BIND_ADDRESS));
    }

    @Test
    void aBadPortIsAUsageError() throws Exception {
        assertEquals("--http-port must be 0..65535, got 70000",
                assertThrows(OptionException.class, () -> RelayEndpoint.port(options(Map.of(), "--http-port", "70000"))).getMessage());
        assertEquals(2, RelayMain.run(new String[] {"--source-host", "db", "--source-user", "repl", "--server-id", "7", "--topic", "t",
                "--kafka-bootstrap", "k:9092", "--http-port", "70000"}));
    }

    @Test
    void helpDocumentsBothOptions() {
        String help = RelayOptions.definitions().help();
        assertTrue(help.contains("--http-port N"), help);
        assertTrue(help.contains("--http-bind-address VALUE"), help);
        assertTrue(help.contains("Default: 127.0.0.1. Env: BINLOG_BRIDGE_HTTP_BIND_ADDRESS"), help);
    }

    @Test
    void theEndpointSaysTheRelayIsStartingUntilItsFirstPass() throws Exception {
        try (MeteredEndpoint endpoint = RelayEndpoint.start(options(Map.of(), "--http-port", "0"), 0, new RelayProgress("db:3306", "t"))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertEquals("starting: checking the source db:3306 and Kafka\n", r.body());
        }
    }
}
