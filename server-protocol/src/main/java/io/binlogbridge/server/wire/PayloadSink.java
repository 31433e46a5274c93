package io.binlogbridge.server.wire;

import java.io.IOException;

/**
 * Where a relayed answer's packet payloads go, one at a time, from a thread that is not the connection's event loop.
 * {@link #write} may block: that is the backpressure that keeps an answer of any size out of memory.
 */
public interface PayloadSink {
    /** Swallows everything: for answers nobody reads (session statements replayed on a backend). */
    PayloadSink DISCARD = payload -> {};

    void write(byte[] payload) throws IOException;

    /** After the last payload: returns once all of them reached the client (or throws when they cannot). */
    default void finish() throws IOException {}

    /** The client is gone: the rest of the answer has nowhere to go. */
    final class ClientGoneException extends IOException {
        public ClientGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
