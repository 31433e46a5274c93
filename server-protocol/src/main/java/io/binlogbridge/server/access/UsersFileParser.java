package io.binlogbridge.server.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parses users file lines {@code name:secret[:privileges]}; blank lines and lines starting with {@code #} are ignored.
 * A hashed secret ({@code *HEX40}, {@code $sha2$HEX64}, MySQL's {@code $A$005$…} raw or {@code 0x}HEX) has a fixed form,
 * so a colon after it starts the privileges field: privileges and {@code key=value} options ({@link AccountOptions}).
 * A plaintext secret is everything after the first colon (passwords may hold colons), except a last
 * {@code :privileges} field that parses as a privilege list.
 */
public final class UsersFileParser {
    private UsersFileParser() {}

    /**
     * @param name     the file, for messages
     * @param warnings receives one message per line that still holds a password in the clear
     */
    public static UserAccounts parse(List<String> lines, String name, Consumer<String> warnings) throws UsersFileFormatException {
        List<UserAccount> accounts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = "users file " + name + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).isBlank()) {
                throw new UsersFileFormatException(where + ": expected name:secret[:privileges]");
            }
            String user = line.substring(0, colon).strip();
            UserAccount account;
            try {
                account = account(user, line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new UsersFileFormatException(where + ": " + e.getMessage());
            }
            if (!seen.add(user)) {
                throw new UsersFileFormatException(where + ": user '" + user + "' appears twice");
            }
            if (account.secret() instanceof StoredSecret.Plaintext) {
                warnings.accept(where + ": the password of '" + user + "' is in the clear; replace the line with the output of"
                        + " 'java -jar replayer.jar user add " + user + "'");
            }
            accounts.add(account);
        }
        if (accounts.isEmpty()) {
            throw new UsersFileFormatException("users file " + name + " holds no name:secret line");
        }
        return new UserAccounts(accounts);
    }

    private static UserAccount account(String user, String rest) {
        // A raw MySQL caching_sha2 hash may hold colons in its salt: it has a fixed length instead.
        int rawCrypt = StoredSecret.CachingSha2Crypt.rawLengthAtStartOf(rest);
        int colon = rawCrypt > 0 ? (rest.length() > rawCrypt ? rawCrypt : -1) : rest.indexOf(':');
        String head = colon < 0 ? rest : rest.substring(0, colon);
        StoredSecret hashed = StoredSecret.parse(head);
        if (!(hashed instanceof StoredSecret.Plaintext)) {
            return colon < 0 ? new UserAccount(user, hashed, Grants.DEFAULT) : UserAccount.withField(user, hashed, rest.substring(colon + 1));
        }
        int last = rest.lastIndexOf(':');
        if (last >= 0) {
            try {
                return UserAccount.withField(user, new StoredSecret.Plaintext(rest.substring(0, last)), rest.substring(last + 1));
            } catch (IllegalArgumentException notPrivileges) {
                // The colon belongs to the password.
            }
        }
        return new UserAccount(user, new StoredSecret.Plaintext(rest), Grants.DEFAULT);
    }
}
