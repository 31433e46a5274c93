package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TableFilterTest {
    @Test
    void includesMatchInFullAndExcludesWin() {
        TableFilter f = new TableFilter(List.of(Pattern.compile("shop\\..*")), List.of(Pattern.compile("shop\\.audit")));
        assertTrue(f.includes("shop", "orders"));
        assertFalse(f.includes("shop", "audit"));
        assertFalse(f.includes("shopping", "orders"), "shop\\..* does not match shopping.orders");
        assertFalse(f.includes("other", "shop.orders_x"));
    }

    @Test
    void noPatternsIncludeEverything() {
        TableFilter f = new TableFilter(List.of(), List.of());
        assertTrue(f.filtersNothing());
        assertTrue(f.includes("a", "b"));
        TableFilter excludeOnly = new TableFilter(List.of(), List.of(Pattern.compile("a\\.b")));
        assertFalse(excludeOnly.includes("a", "b"));
        assertTrue(excludeOnly.includes("a", "c"));
    }
}
