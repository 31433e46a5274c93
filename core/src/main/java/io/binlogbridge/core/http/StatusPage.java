package io.binlogbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The page at {@code /}: HTML rendered from the very JSON object {@code /status} answers (the same
 * {@link StatusReport}, with "ready" and "notReadyReason"), so the page and the JSON never disagree. Called on HTTP
 * threads: must not block.
 */
@FunctionalInterface
public interface StatusPage {
    /** The whole HTML document. Every value taken from {@code status} must be escaped ({@link Html}). */
    String render(JsonNode status);
}
