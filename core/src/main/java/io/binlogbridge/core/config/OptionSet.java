package io.binlogbridge.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The options of one command, declared in one place (name, type, default, documentation), from which
 * both parsing and {@code --help} come. A value is taken from the command line, else from the
 * environment ({@code BINLOG_BRIDGE_<FLAG>}), else from the {@code --config} properties file, else the
 * default.
 */
public final class OptionSet {
    public static final String CONFIG = "config";
    public static final String HELP = "help";

    private final String command;
    private final String summary;
    private final Map<String, OptionDef> options = new LinkedHashMap<>();
    /** Options that may be given more than once on the command line: their values are joined with commas. */
    private final Set<String> repeatable = new HashSet<>();

    public OptionSet(String command, String summary) {
        this.command = command;
        this.summary = summary;
        define(CONFIG, OptionType.STRING, null, true, "Properties file with options (keys are flag names without dashes, e.g. source-host=db1).");
        define(HELP, OptionType.FLAG, null, true, "Print this help and exit.");
    }

    public OptionSet required(String name, OptionType type, String doc) {
        return define(name, type, null, false, doc);
    }

    public OptionSet optional(String name, OptionType type, String doc) {
        return define(name, type, null, true, doc);
    }

    public OptionSet withDefault(String name, OptionType type, String defaultValue, String doc) {
        return define(name, type, defaultValue, true, doc);
    }

    /**
     * An optional option that may be given several times on the command line: {@link Options#string} returns the
     * values joined with commas, which is also how the environment and the {@code --config} file give several.
     */
    public OptionSet repeatable(String name, OptionType type, String doc) {
        repeatable.add(name);
        return define(name, type, null, true, doc);
    }

    public OptionSet flag(String name, String doc) {
        return define(name, OptionType.FLAG, "false", true, doc);
    }

    private OptionSet define(String name, OptionType type, String defaultValue, boolean optional, String doc) {
        if (options.put(name, new OptionDef(name, type, defaultValue, optional, doc)) != null) {
            throw new IllegalArgumentException("option --" + name + " declared twice");
        }
        return this;
    }

    public List<OptionDef> definitions() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    /** True when the arguments ask for help; checked before parsing so that --help works alone. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public Options parse(String[] args, Map<String, String> environment) throws OptionException {
        Map<String, String> fromArgs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new OptionException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            OptionDef def = options.get(name);
            if (def == null) {
                throw new OptionException("unknown option --" + name + " (see --help)");
            }
            if (def.type() == OptionType.FLAG) {
                fromArgs.put(name, value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new OptionException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (repeatable.contains(name)) {
                fromArgs.merge(name, value, (earlier, later) -> earlier + "," + later);
            } else {
                fromArgs.put(name, value);
            }
        }
        Properties file = new Properties();
        String configFile = fromArgs.getOrDefault(CONFIG, environment.get(options.get(CONFIG).environmentVariable()));
        if (configFile != null) {
            try (Reader reader = Files.newBufferedReader(Path.of(configFile))) {
                file.load(reader);
            } catch (IOException e) {
                throw new OptionException("cannot read --config " + configFile + ": " + e.getMessage());
            }
            for (String key : file.stringPropertyNames()) {
                if (!options.containsKey(key)) {
                    throw new OptionException("unknown option '" + key + "' in " + configFile + " (see --help)");
                }
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionDef def : options.values()) {
            String value = fromArgs.get(def.name());
            if (value == null) {
                value = environment.get(def.environmentVariable());
            }
            if (value == null) {
                value = file.getProperty(def.name());
            }
            if (value == null) {
                value = def.defaultValue();
            }
            if (value == null) {
                if (def.required()) {
                    throw new OptionException("missing required option --" + def.name() + " (or " + def.environmentVariable() + "; see --help)");
                }
                continue;
            }
            Options.validate(def, value.trim());
            values.put(def.name(), value.trim());
        }
        return new Options(options, values);
    }

    public String help() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: ").append(command).append(" [options]\n\n").append(summary).append("\n\nOptions:\n");
        for (OptionDef def : options.values()) {
            StringBuilder line = new StringBuilder("  --").append(def.name());
            if (def.type() != OptionType.FLAG) {
                line.append(' ').append(placeholder(def.type()));
            }
            out.append(line).append('\n');
            out.append("      ").append(def.doc());
            if (def.required()) {
                out.append(" Required.");
            } else if (def.defaultValue() != null && def.type() != OptionType.FLAG) {
                out.append(" Default: ").append(def.defaultValue()).append('.');
            }
            out.append(" Env: ").append(def.environmentVariable()).append('\n');
        }
        out.append("\nPrecedence: command line, then environment, then --config file, then default.\n");
        return out.toString();
    }

    private static String placeholder(OptionType type) {
        switch (type) {
            case INT:
            case LONG:
                return "N";
            case BYTES:
                return "SIZE";
            case DURATION:
                return "DURATION";
            case ADDRESS:
                return "HOST:PORT";
            default:
                return "VALUE";
        }
    }
}
