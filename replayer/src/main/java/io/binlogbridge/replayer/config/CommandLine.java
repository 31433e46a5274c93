package io.binlogbridge.replayer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves a {@link ConfigDef}'s options from {@code --flag value} / {@code --flag=value} arguments,
 * {@code BINLOG_BRIDGE_<FLAG>} environment variables and a {@code --config} properties file, in that
 * order of precedence, then checks required options and types.
 */
public final class CommandLine {
    public static final String ENV_PREFIX = "BINLOG_BRIDGE_";

    /** The outcome: either help was asked for, or all values are resolved. */
    public record Parsed(boolean helpRequested, Map<String, Object> values) {
        public Object get(String name) {
            return values.get(name);
        }

        public String getString(String name) {
            return (String) values.get(name);
        }

        public int getInt(String name) {
            return (Integer) values.get(name);
        }

        public long getLong(String name) {
            return (Long) values.get(name);
        }

        public boolean getBoolean(String name) {
            return Boolean.TRUE.equals(values.get(name));
        }

        public Path getPath(String name) {
            Object v = values.get(name);
            return v == null ? null : Path.of((String) v);
        }
    }

    private CommandLine() {}

    public static Parsed parse(ConfigDef def, String[] args, Map<String, String> env) {
        Map<String, String> flags = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(true, Map.of());
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            ConfigDef.Option option = def.option(name);
            if (option == null && !name.equals("config")) {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
            if (value == null) {
                boolean flagOnly = option != null && option.type() == ConfigDef.Type.BOOLEAN
                        && (i + 1 >= args.length || args[i + 1].startsWith("--"));
                if (flagOnly) {
                    value = "true";
                } else if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigException("option --" + name + " needs a value");
                } else {
                    value = args[++i];
                }
            }
            if (name.equals("config")) {
                configFile = value;
            } else if (flags.put(name, value) != null) {
                throw new ConfigException("option --" + name + " given twice");
            }
        }
        if (configFile == null) {
            configFile = env.get(ENV_PREFIX + "CONFIG");
        }
        Map<String, String> file = configFile == null ? Map.of() : load(def, Path.of(configFile));

        Map<String, Object> values = new HashMap<>();
        for (ConfigDef.Option option : def.options()) {
            String raw;
            String source;
            if (flags.containsKey(option.name())) {
                raw = flags.get(option.name());
                source = "command line";
            } else if (env.containsKey(option.environmentVariable())) {
                raw = env.get(option.environmentVariable());
                source = "environment " + option.environmentVariable();
            } else if (file.containsKey(option.name())) {
                raw = file.get(option.name());
                source = "config file " + configFile;
            } else if (option.required()) {
                throw new ConfigException("missing required option --" + option.name()
                        + " (or environment " + option.environmentVariable() + ")");
            } else {
                values.put(option.name(), option.defaultValue());
                continue;
            }
            values.put(option.name(), ConfigDef.parse(option, raw, source));
        }
        return new Parsed(false, values);
    }

    private static Map<String, String> load(ConfigDef def, Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (def.option(key) == null) {
                throw new ConfigException("unknown option '" + key + "' in config file " + path);
            }
            out.put(key, props.getProperty(key));
        }
        return out;
    }
}
