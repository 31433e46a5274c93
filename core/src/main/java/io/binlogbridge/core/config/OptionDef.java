package io.binlogbridge.core.config;

/**
 * One declared option: its flag name (without dashes), its type, its default and its documentation.
 *
 * @param defaultValue the value when none is given; null means the option is required unless
 *     {@code optional}
 */
public record OptionDef(String name, OptionType type, String defaultValue, boolean optional, String doc) {
    public String flag() {
        return "--" + name;
    }

    /** BINLOG_BRIDGE_SOURCE_HOST for --source-host. */
    public String environmentVariable() {
        return "BINLOG_BRIDGE_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    public boolean required() {
        return defaultValue == null && !optional && type != OptionType.FLAG;
    }
}
