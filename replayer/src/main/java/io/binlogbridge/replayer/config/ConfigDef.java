package io.binlogbridge.replayer.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one declaration of a program's options, in the style of Kafka's ConfigDef: name, type, default,
 * documentation. {@link CommandLine} resolves values from flags, environment and a properties file
 * with it, and {@link #help} is generated from it, so an option cannot exist without being documented.
 * Written to be shared: relay-server declares its own options the same way.
 */
public final class ConfigDef {
    public enum Type {
        STRING("VALUE"), INT("N"), LONG("N"), BOOLEAN(""), PATH("FILE"), HOST_PORT("HOST:PORT");

        /** How --help shows the argument. */
        public final String metavar;

        Type(String metavar) {
            this.metavar = metavar;
        }
    }

    /** Marks an option that has no default and must be given. */
    public static final Object NO_DEFAULT = new Object() {
        @Override
        public String toString() {
            return "(required)";
        }
    };

    public record Option(String name, Type type, Object defaultValue, String documentation) {
        public boolean required() {
            return defaultValue == NO_DEFAULT;
        }

        /** The environment variable: BINLOG_BRIDGE_ + the flag name upper-cased, dashes as underscores. */
        public String environmentVariable() {
            return CommandLine.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    private final Map<String, Option> options = new LinkedHashMap<>();

    /** Declares an option; {@code defaultValue} is {@link #NO_DEFAULT}, null (optional, no value) or a parsed value. */
    public ConfigDef define(String name, Type type, Object defaultValue, String documentation) {
        if (options.containsKey(name)) {
            throw new IllegalArgumentException("option --" + name + " declared twice");
        }
        options.put(name, new Option(name, type, defaultValue, documentation));
        return this;
    }

    public Option option(String name) {
        return options.get(name);
    }

    public List<Option> options() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    /** Parses one value as its option's type, or throws a one-line {@link ConfigException} naming the option and where it came from. */
    public static Object parse(Option option, String raw, String source) {
        String v = raw.trim();
        try {
            switch (option.type()) {
                case INT:
                    return Integer.parseInt(v);
                case LONG:
                    return Long.parseLong(v);
                case BOOLEAN:
                    if (v.equalsIgnoreCase("true") || v.isEmpty()) {
                        return Boolean.TRUE;
                    }
                    if (v.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new IllegalArgumentException();
                case HOST_PORT: {
                    int colon = v.lastIndexOf(':');
                    if (colon <= 0 || colon == v.length() - 1) {
                        throw new IllegalArgumentException();
                    }
                    int port = Integer.parseInt(v.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException();
                    }
                    return v;
                }
                default:
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException();
                    }
                    return v;
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid value '" + raw + "' for --" + option.name() + " (" + source + "): expected "
                    + describe(option.type()));
        }
    }

    private static String describe(Type type) {
        return switch (type) {
            case INT -> "an integer";
            case LONG -> "an integer";
            case BOOLEAN -> "true or false";
            case HOST_PORT -> "HOST:PORT";
            case PATH -> "a file path";
            case STRING -> "a non-empty value";
        };
    }

    /** The --help text: usage line, then every option with its type, default and documentation. */
    public String help(String program, String summary) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(program);
        for (Option o : options.values()) {
            String arg = o.type() == Type.BOOLEAN ? "" : " " + o.type().metavar;
            sb.append(o.required() ? " --" + o.name() + arg : " [--" + o.name() + arg + "]");
        }
        sb.append(" [--config FILE]\n\n").append(summary).append("\n\nOptions:\n");
        for (Option o : options.values()) {
            sb.append(String.format("  --%-22s %s%n", o.name() + (o.type() == Type.BOOLEAN ? "" : " " + o.type().metavar), o.documentation()));
            String dflt = o.required() ? "required" : o.defaultValue() == null ? "none" : "default: " + o.defaultValue();
            sb.append(String.format("  %-24s (%s; env %s)%n", "", dflt, o.environmentVariable()));
        }
        sb.append(String.format("  --%-22s %s%n", "config FILE", "Properties file with any of the options above as name=value."));
        sb.append(String.format("  %-24s (env %sCONFIG)%n", "", CommandLine.ENV_PREFIX));
        sb.append(String.format("  --%-22s %s%n", "help", "Print this help and exit."));
        sb.append("\nA value comes from the flag, else the environment variable, else the --config file, else the default.\n");
        return sb.toString();
    }
}
