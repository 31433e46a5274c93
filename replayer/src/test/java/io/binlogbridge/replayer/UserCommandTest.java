package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.server.access.Privilege;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.UsersFileParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserCommandTest {
    static final byte[] SEED = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);

    record Run(int exit, String out, String err) {}

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = UserCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static UserAccount parsed(String line) throws Exception {
        List<String> warnings = new java.util.ArrayList<>();
        UserAccount a = UsersFileParser.parse(List.of(line), "stdout", warnings::add).get(line.substring(0, line.indexOf(':')));
        assertEquals(List.of(), warnings, "a hashed line loads without a warning");
        return a;
    }

    @Test
    void printsACachingSha2LineThatChecksThePassword() throws Exception {
        Run r = run("s3cret:with colon\n", "add", "repl");
        assertEquals(0, r.exit(), r.err());
        String line = r.out().strip();
        assertTrue(line.matches("repl:\\$sha2\\$[0-9A-F]{64}"), line);
        UserAccount a = parsed(line);
        assertTrue(a.secret().matchesScramble(MySqlConstants.CACHING_SHA2_PASSWORD, SEED,
                Scrambles.cachingSha2Password("s3cret:with colon", SEED)));
        assertTrue(a.grants().allows(Privilege.REPLICATION, null));
    }

    @Test
    void nativePluginAndPrivileges() throws Exception {
        Run r = run("pw\n", "add", "ops", "--privileges", "monitor,admin@eu", "--auth-plugin", "mysql_native_password");
        assertEquals(0, r.exit(), r.err());
        UserAccount a = parsed(r.out().strip());
        assertTrue(r.out().strip().matches("ops:\\*[0-9A-F]{40}:admin@eu,monitor"), r.out());
        assertTrue(a.secret().matchesScramble(MySqlConstants.MYSQL_NATIVE_PASSWORD, SEED, Scrambles.nativePassword("pw", SEED)));
        assertTrue(a.grants().allows(Privilege.ADMIN, "eu"));
        assertTrue(!a.grants().allows(Privilege.REPLICATION, null));
    }

    @Test
    void optionsGoWithThePrivileges() throws Exception {
        Run r = run("pw\n", "add", "cdc", "--privileges", "replication,max_user_connections=2,require=x509");
        assertEquals(0, r.exit(), r.err());
        UserAccount a = parsed(r.out().strip());
        assertTrue(r.out().strip().matches("cdc:\\$sha2\\$[0-9A-F]{64}:max_user_connections=2,require=x509"), r.out());
        assertEquals(2, a.options().maxUserConnections());
        assertTrue(a.options().requireX509());
        assertEquals(2, run("pw\n", "add", "cdc", "--privileges", "max_user_connections=-1").exit());
    }

    @Test
    void badInputIsOneLineAndExit2() {
        Run r = run("pw\n", "add", "x", "--privileges", "dump");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("replayer user: --privileges: unknown privilege 'dump'"), r.err());
        assertEquals(2, run("", "add", "x").exit());
        assertEquals(2, run("pw\n", "add").exit());
        assertEquals(2, run("pw\n", "add", "a:b").exit());
        assertEquals("", run("pw\n", "add", "x", "--auth-plugin", "sha256_password").out());
    }
}
