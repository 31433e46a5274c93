package io.binlogbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small HTML writer for the status page: every value goes through {@link #escape}, markup is only what the page's
 * own code writes. Values come from the {@code /status} JSON ({@link JsonNode}), shown as {@link #value} formats them.
 */
public final class Html {
    private final StringBuilder out = new StringBuilder(8192);

    /** Escapes {@code & < > " '} so that a value is text wherever it lands (element content or attribute). */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A JSON value as the page shows it: "—" for missing or null, text as is, numbers as JSON writes them. */
    public static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "—";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }

    /** Bytes in a human unit (B, KiB, MiB, GiB), with the exact count for the title. */
    public static String bytes(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return value(node);
        }
        double b = node.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? node.asLong() + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", b, units[u]);
    }

    /** Markup written by the page's code, never a value. */
    public Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Text, escaped. */
    public Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** {@code <tag class="cls">text</tag>}, the text escaped. */
    public Html element(String tag, String cls, String text) {
        out.append('<').append(tag);
        if (cls != null) {
            out.append(" class=\"").append(escape(cls)).append('"');
        }
        out.append('>').append(escape(text)).append("</").append(tag).append('>');
        return this;
    }

    /** One row of a two-column table: a label and a value, both escaped. */
    public Html row(String label, String value) {
        return raw("<tr><th>").text(label).raw("</th><td>").text(value).raw("</td></tr>\n");
    }

    /** A row of a many-column table, every cell escaped. */
    public Html cells(String... values) {
        raw("<tr>");
        for (String v : values) {
            raw("<td>").text(v).raw("</td>");
        }
        return raw("</tr>\n");
    }

    /** A header row of a many-column table. */
    public Html headers(String... labels) {
        raw("<tr>");
        for (String l : labels) {
            raw("<th>").text(l).raw("</th>");
        }
        return raw("</tr>\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
