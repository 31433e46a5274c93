package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsersFileParserTest {
    static final String NATIVE = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19";
    static final String SHA2 = StoredSecret.CachingSha2Hash.of("pw").toString();

    final List<String> warnings = new ArrayList<>();

    UserAccounts parse(String... lines) throws UsersFileFormatException {
        return UsersFileParser.parse(List.of(lines), "users.txt", warnings::add);
    }

    @Test
    void hashedLinesWithAndWithoutPrivileges() throws Exception {
        UserAccounts a = parse("# replicas", "", "repl:" + NATIVE, "  ", "cdc:" + SHA2 + ":replication,monitor@eu", "ops:" + SHA2 + ":admin");
        assertEquals(3, a.size());
        assertInstanceOf(StoredSecret.NativePasswordHash.class, a.get("repl").secret());
        assertEquals(Grants.DEFAULT, a.get("repl").grants());
        assertTrue(a.get("repl").grants().allows(Privilege.REPLICATION, "anything"));
        assertTrue(a.get("cdc").grants().allows(Privilege.REPLICATION, null));
        assertTrue(a.get("cdc").grants().allows(Privilege.MONITOR, "eu"));
        assertFalse(a.get("cdc").grants().allows(Privilege.MONITOR, "us"));
        assertFalse(a.get("ops").grants().allows(Privilege.REPLICATION, null));
        assertTrue(a.get("ops").grants().allows(Privilege.ADMIN, null));
        assertNull(a.get("nobody"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void plaintextLinesStillLoadWithAWarningNamingTheLine() throws Exception {
        UserAccounts a = parse("repl:secret", "cdc:pa:ss word", "empty:", "mon:pw:x:monitor");
        assertEquals(new StoredSecret.Plaintext("secret"), a.get("repl").secret());
        assertEquals(new StoredSecret.Plaintext("pa:ss word"), a.get("cdc").secret());
        assertEquals(Grants.DEFAULT, a.get("cdc").grants());
        assertEquals(new StoredSecret.Plaintext(""), a.get("empty").secret());
        assertEquals(new StoredSecret.Plaintext("pw:x"), a.get("mon").secret());
        assertEquals(Grants.parse("monitor"), a.get("mon").grants());
        assertEquals(4, warnings.size());
        assertEquals("users file users.txt line 1: the password of 'repl' is in the clear; replace the line with the output of"
                + " 'java -jar replayer.jar user add repl'", warnings.get(0));
    }

    @Test
    void malformedLinesNameTheirNumber() {
        UsersFileFormatException e = assertThrows(UsersFileFormatException.class, () -> parse("repl:x", "# c", "nocolon"));
        assertEquals("users file users.txt line 3: expected name:secret[:privileges]", e.getMessage());
        assertThrows(UsersFileFormatException.class, () -> parse(":pw"));
        e = assertThrows(UsersFileFormatException.class, () -> parse("a:1", "a:2"));
        assertEquals("users file users.txt line 2: user 'a' appears twice", e.getMessage());
        e = assertThrows(UsersFileFormatException.class, () -> parse("a:" + NATIVE + ":replication,dump"));
        assertEquals("users file users.txt line 1: unknown privilege 'dump' (expected replication, admin or monitor)", e.getMessage());
        assertThrows(UsersFileFormatException.class, () -> parse("a:" + NATIVE + ":replication@"));
        assertThrows(UsersFileFormatException.class, () -> parse("# only comments"));
    }

    @Test
    void accountPrintsTheLineItWasReadFrom() throws Exception {
        String line = "cdc:" + SHA2 + ":monitor@eu,replication";
        UserAccount a = parse(line).get("cdc");
        assertEquals(line, a.toLine());
        assertEquals("repl:" + NATIVE, parse("repl:" + NATIVE).get("repl").toLine());
    }

    @Test
    void changesAreDescribedPerUser() throws Exception {
        UserAccounts before = parse("a:" + NATIVE, "b:" + SHA2, "c:" + SHA2);
        UserAccounts after = parse("a:" + NATIVE + ":monitor", "b:" + StoredSecret.CachingSha2Hash.of("new"), "d:" + SHA2);
        assertEquals(List.of("changed the privileges of 'a' from replication to monitor", "changed the password of 'b'",
                "added 'd' (replication)", "removed 'c'"), after.changesSince(before));
    }

    /** A user made on MySQL 8.0.15 (caching_sha2_password BY 'password'): its salt holds 0x07, 0x05, 0x03, 0x1F... */
    static final String MYSQL_HEX = Sha256CryptTest.MYSQL_PASSWORD;

    @Test
    void mySqlsOwnCachingSha2HashLoadsRawOrHexWithColonsInItsSalt() throws Exception {
        byte[] raw = java.util.HexFormat.of().parseHex(MYSQL_HEX);
        raw[10] = ':'; // a salt may hold a colon: the raw form has a fixed length instead
        String rawText = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        UserAccounts a = parse("hex:0x" + MYSQL_HEX + ":monitor", "raw:" + rawText + ":replication,max_user_connections=3", "bare:" + rawText);
        StoredSecret hex = a.get("hex").secret();
        assertInstanceOf(StoredSecret.CachingSha2Crypt.class, hex);
        assertEquals(Grants.parse("monitor"), a.get("hex").grants());
        assertTrue(hex.matchesCleartext("password".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertInstanceOf(StoredSecret.CachingSha2Crypt.class, a.get("raw").secret());
        assertEquals(3, a.get("raw").options().maxUserConnections());
        assertEquals(Grants.DEFAULT, a.get("bare").grants());
        assertEquals("hex:0x" + MYSQL_HEX + ":monitor", a.get("hex").toLine(), "printed in hex: a salt may hold a newline");
    }

    @Test
    void optionsShareThePrivilegesField() throws Exception {
        UserAccounts a = parse("a:" + SHA2 + ":max_user_connections=2", "b:" + NATIVE + ":monitor,require=x509,max_user_connections=5",
                "c:pw:max_user_connections=1");
        assertEquals(new AccountOptions(2, false), a.get("a").options());
        assertEquals(Grants.DEFAULT, a.get("a").grants(), "options only: replication everywhere");
        assertEquals(new AccountOptions(5, true), a.get("b").options());
        assertEquals(Grants.parse("monitor"), a.get("b").grants());
        assertEquals(new StoredSecret.Plaintext("pw"), a.get("c").secret());
        assertEquals("a:" + SHA2 + ":max_user_connections=2", a.get("a").toLine());
        assertEquals("b:" + NATIVE + ":monitor,max_user_connections=5,require=x509", a.get("b").toLine());
        UsersFileFormatException e = assertThrows(UsersFileFormatException.class, () -> parse("a:" + SHA2 + ":max_user_connections=x"));
        assertEquals("users file users.txt line 1: bad max_user_connections 'x' (expected a number)", e.getMessage());
        e = assertThrows(UsersFileFormatException.class, () -> parse("a:" + SHA2 + ":max_connections=1"));
        assertEquals("users file users.txt line 1: unknown option 'max_connections' (expected max_user_connections or require)", e.getMessage());
        assertEquals(List.of("changed the options of 'a' from 'max_user_connections=2' to 'max_user_connections=3'"),
                parse("a:" + SHA2 + ":max_user_connections=3").changesSince(parse("a:" + SHA2 + ":max_user_connections=2")));
    }
}
