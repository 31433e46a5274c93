package io.binlogbridge.replayer.query;

import io.binlogbridge.replayer.session.Session;

/**
 * What every statement family answers from: the statement's tokens, the connection that sent it, the log,
 * and the log's server identity, read once per statement so that one answer never mixes two identities.
 */
record StatementContext(StatementCursor cursor, Session session, LogState logState, ServerIdentity identity) {}
