package io.binlogbridge.replayer.purge;

import io.binlogbridge.server.sql.QueryResult;
import java.util.concurrent.CompletableFuture;

/** Carries out a PURGE off the event loop; the answer is the statement's: OK or MySQL's error. */
public interface Purger {
    CompletableFuture<QueryResult> purge(PurgeRequest request);
}
