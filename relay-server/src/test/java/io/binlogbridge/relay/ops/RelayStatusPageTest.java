package io.binlogbridge.relay.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RelayStatusPageTest {
    @Test
    void showsTheChainFromTheStatusObjectEscaped() throws Exception {
        String status = """
                {"ready":false,"notReadyReason":"not reading the source db1:3306 (<lost>); reconnecting","process":"relay-server",
                 "topic":"shop.binlog","source":{"address":"db1:3306","streaming":false,"flavor":"MYSQL","version":"8.0.31",
                 "serverId":11,"serverUuid":"u-1"},"read":null,"committed":{"term":2,"file":"binlog.000007","position":1234,
                 "gtid":"u-1:9","time":"2026-12-02T09:00:00Z"},"secondsBehindSource":null,"transactionsRelayed":9,
                 "bytesRelayed":2048,"kafkaCommits":3,"semiSyncAcks":0,"errors":1,
                 "lastError":{"message":"lost <connection> & more","time":"2026-12-02T09:00:01Z"}}
                """;
        String html = new RelayStatusPage().render(new ObjectMapper().readTree(status));
        for (String s : new String[] {"db1:3306", "MYSQL 8.0.31", "shop.binlog", "term 2", "binlog.000007:1234", "u-1:9",
                "lost &lt;connection&gt; &amp; more", "(&lt;lost&gt;)", "2.0 KiB", "not ready", "unknown (not streaming)"}) {
            assertTrue(html.contains(s), s + " missing from:\n" + html);
        }
        assertFalse(html.contains("<connection>") || html.contains("<lost>"), html);
    }
}
