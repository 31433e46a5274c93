package io.binlogbridge.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HtmlTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void escapesEveryCharacterThatIsMarkup() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", Html.escape("<script>alert('x')</script> & \"q\""));
        assertEquals("", Html.escape(null));
        assertEquals("<th>a&lt;</th><td>&gt;b</td>", new Html().row("a<", ">b").toString().replace("<tr>", "").replace("</tr>\n", ""));
        assertEquals("<tr><td>&amp;</td><td>x</td></tr>\n", new Html().cells("&", "x").toString());
    }

    @Test
    void valuesAndBytesAsThePageShowsThem() throws Exception {
        var n = json.readTree("{\"s\":\"a\",\"n\":12,\"z\":null,\"b\":1536,\"big\":5368709120}");
        assertEquals("a", Html.value(n.get("s")));
        assertEquals("12", Html.value(n.get("n")));
        assertEquals("—", Html.value(n.get("z")));
        assertEquals("—", Html.value(n.get("missing")));
        assertEquals("12 B", Html.bytes(n.get("n")));
        assertEquals("1.5 KiB", Html.bytes(n.get("b")));
        assertEquals("5.0 GiB", Html.bytes(n.get("big")));
    }
}
