package io.binlogbridge.core.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** The body of {@code /status}: one JSON object, written field by field. Called on HTTP threads: must not block. */
@FunctionalInterface
public interface StatusReport {
    /** Writes the fields of the status object; the caller has opened it and closes it. */
    void writeFields(JsonGenerator json) throws IOException;
}
