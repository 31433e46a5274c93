package io.binlogbridge.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parsed option values, typed by their declarations. */
public final class Options {
    private final Map<String, OptionDef> definitions;
    private final Map<String, String> values;

    Options(Map<String, OptionDef> definitions, Map<String, String> values) {
        this.definitions = definitions;
        this.values = values;
    }

    public boolean has(String name) {
        return values.containsKey(check(name));
    }

    public String string(String name) {
        return values.get(check(name));
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(check(name)));
    }

    public int integer(String name) {
        return Integer.parseInt(string(name));
    }

    public long longValue(String name) {
        return Long.parseLong(string(name));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(check(name), "false"));
    }

    public long bytes(String name) {
        return parseBytes(string(name));
    }

    public Duration duration(String name) {
        return parseDuration(string(name));
    }

    private String check(String name) {
        if (!definitions.containsKey(name)) {
            throw new IllegalArgumentException("option --" + name + " is not declared");
        }
        return name;
    }

    static void validate(OptionDef def, String value) throws OptionException {
        try {
            switch (def.type()) {
                case INT:
                    Integer.parseInt(value);
                    break;
                case LONG:
                    Long.parseLong(value);
                    break;
                case BYTES:
                    parseBytes(value);
                    break;
                case DURATION:
                    parseDuration(value);
                    break;
                case FLAG:
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("expected true or false");
                    }
                    break;
                case ADDRESS:
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0 || Integer.parseInt(value.substring(colon + 1)) <= 0) {
                        throw new IllegalArgumentException("expected HOST:PORT");
                    }
                    break;
                default:
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("empty value");
                    }
            }
        } catch (IllegalArgumentException e) {
            String reason = e instanceof NumberFormatException ? "not a number" : e.getMessage();
            throw new OptionException("invalid value '" + value + "' for --" + def.name() + ": " + reason);
        }
    }

    static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("k")) {
            unit = 1L << 10;
        } else if (t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long n = Long.parseLong(t);
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return n * unit;
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO; // no unit needed for nothing (e.g. "0" turning a period off)
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("d")) {
            return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("expected a unit: ms, s, m, h or d (e.g. 2s)");
    }
}
