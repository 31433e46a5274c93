package io.binlogbridge.server.sql;

/**
 * An expression the recognizer cannot evaluate (a function it does not know, arithmetic). Not an error by
 * itself: SELECT answers it with 1235, SET keeps the expression's text instead.
 */
final class UnsupportedExpression extends RuntimeException {
    UnsupportedExpression() {
        super(null, null, false, false);
    }
}
