package io.binlogbridge.reader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which tables' row events the caller wants: {@code schema.table} names matched in full against include and exclude
 * regular expressions. A table is included when no include pattern is given or one matches, and no exclude pattern
 * matches.
 */
final class TableFilter {
    /** Decisions are cached by name; a schema churning through more tables than this starts the cache afresh. */
    private static final int MAX_CACHED = 10_000;

    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final Map<String, Boolean> decisions = new HashMap<>();

    TableFilter(List<Pattern> include, List<Pattern> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    boolean filtersNothing() {
        return include.isEmpty() && exclude.isEmpty();
    }

    boolean includes(String schema, String table) {
        if (filtersNothing()) {
            return true;
        }
        String name = schema + "." + table;
        Boolean known = decisions.get(name);
        if (known != null) {
            return known;
        }
        boolean included = (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(name).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(name).matches());
        if (decisions.size() >= MAX_CACHED) {
            decisions.clear();
        }
        decisions.put(name, included);
        return included;
    }
}
