package io.binlogbridge.replayer.purge;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.Privilege;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementCursor;
import io.binlogbridge.server.sql.StatementFamily;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PURGE {BINARY | MASTER} LOGS {TO 'file' | BEFORE 'YYYY-MM-DD[ HH:MM:SS[.fraction]]'}}, for users with the
 * {@code admin} privilege. The datetime must be a literal: MySQL takes any expression, the replayer evaluates none.
 */
public final class PurgeStatement implements StatementFamily {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeStatement.class);
    /** MySQL 8.0's ER_SPECIFIC_ACCESS_DENIED_ERROR for PURGE, which needs SUPER or BINLOG_ADMIN. */
    static final String ACCESS_DENIED = "Access denied; you need (at least one of) the SUPER or BINLOG_ADMIN privilege(s) for this operation";
    static final int ER_WRONG_ARGUMENTS = 1210;
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ HH:mm:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true).optionalEnd()
            .toFormatter();

    private final Purger purger;

    public PurgeStatement(Purger purger) {
        this.purger = purger;
    }

    @Override
    public QueryResult answer(String first, StatementContext context) {
        if (!first.equals("PURGE")) {
            return null;
        }
        StatementCursor cursor = context.cursor();
        if (!cursor.acceptWord("BINARY") && !cursor.acceptWord("MASTER")) {
            throw cursor.syntaxHere();
        }
        if (!cursor.acceptWord("LOGS")) {
            throw cursor.syntaxHere();
        }
        PurgeRequest request;
        if (cursor.acceptWord("TO")) {
            request = PurgeRequest.to(cursor.expect(Kind.STRING).text());
            cursor.expectEnd();
        } else if (cursor.acceptWord("BEFORE")) {
            Token time = cursor.next();
            if (time.kind() != Kind.STRING || !cursor.atEnd()) {
                throw cursor.notSupported();
            }
            LocalDateTime before = parseDateTime(time.text());
            if (before == null) {
                return new QueryResult.Error(ER_WRONG_ARGUMENTS, MySqlConstants.SQLSTATE_GENERAL, "Incorrect arguments to PURGE LOGS BEFORE");
            }
            request = PurgeRequest.before(before);
        } else {
            throw cursor.syntaxHere();
        }
        // Checked after parsing, as MySQL reports a malformed statement before the missing privilege.
        if (!context.session().grants().allows(Privilege.ADMIN, context.session().cluster())) {
            LOG.info("connection {}: user '{}'@'{}' refused PURGE: no admin privilege ({})", context.session().connectionId(),
                    context.session().user(), context.session().remoteHost(), context.session().grants());
            return new QueryResult.Error(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR,
                    MySqlConstants.SQLSTATE_SPECIFIC_ACCESS_DENIED, ACCESS_DENIED);
        }
        LOG.info("connection {}: user '{}'@'{}' purges {}", context.session().connectionId(), context.session().user(),
                context.session().remoteHost(), request.toFile() != null ? "to '" + request.toFile() + "'" : "before '" + request.before() + "'");
        return new QueryResult.Deferred(purger.purge(request));
    }

    /** MySQL's datetime literal, date alone meaning its midnight; null when it is not one. */
    static LocalDateTime parseDateTime(String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay();
            }
            return LocalDateTime.parse(t, DATETIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
