package io.binlogbridge.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.config.OptionException;
import org.junit.jupiter.api.Test;

class HttpOptionsTest {
    @Test
    void portMustBeAPort() throws Exception {
        assertEquals(0, HttpOptions.port(0));
        assertEquals(9100, HttpOptions.port(9100));
        assertEquals("--http-port must be 0..65535, got 70000", assertThrows(OptionException.class, () -> HttpOptions.port(70000)).getMessage());
        assertThrows(OptionException.class, () -> HttpOptions.port(-1));
    }
}
