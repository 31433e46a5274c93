package io.binlogbridge.server.handshake;

import io.binlogbridge.core.config.OptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file: one {@code user:password} per line; blank lines and lines starting with {@code #}
 * are ignored. The password is everything after the first colon, spaces included (it may contain
 * colons). Passwords are plaintext because both auth plugins' scrambles are checked against them.
 */
public final class UsersFile {
    private UsersFile() {}

    public static Map<String, String> load(Path path) throws OptionException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OptionException("cannot read users file " + path + ": " + e.getMessage());
        }
        return parse(lines, path.toString());
    }

    public static Map<String, String> parse(List<String> lines, String name) throws OptionException {
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).isBlank()) {
                throw new OptionException("users file " + name + " line " + (i + 1) + ": expected user:password");
            }
            String user = line.substring(0, colon).strip();
            if (users.put(user, line.substring(colon + 1)) != null) {
                throw new OptionException("users file " + name + " line " + (i + 1) + ": user '" + user + "' appears twice");
            }
        }
        if (users.isEmpty()) {
            throw new OptionException("users file " + name + " holds no user:password line");
        }
        return Collections.unmodifiableMap(users);
    }
}
