package io.binlogbridge.server.sql;

import io.binlogbridge.server.session.ClientSession;

/**
 * What every statement family answers from: the statement's tokens, the connection that sent it, the log,
 * and the log's server identity, read once per statement so that one answer never mixes two identities.
 */
public record StatementContext(StatementCursor cursor, ClientSession session, LogState logState, ServerIdentity identity) {}
