package io.binlogbridge.server.sql;

import java.util.regex.Pattern;

/** SQL LIKE: {@code %} any run, {@code _} one character, backslash escapes; case-insensitive as in utf8 *_ci collations. */
final class LikePattern {
    private LikePattern() {}

    static boolean matches(String pattern, String text) {
        return compile(pattern).matcher(text).matches();
    }

    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
