package io.binlogbridge.replayer.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReplayerStatusPageTest {
    @Test
    void showsFilesGtidStateAndEveryConnectionEscaped() throws Exception {
        String status = """
                {"ready":true,"notReadyReason":null,"process":"replayer","topic":"shop.binlog","indexReady":true,
                 "indexedRecords":120,"listening":true,
                 "source":{"flavor":"MARIADB","version":"10.11.6-MariaDB","serverId":7,"serverUuid":null},
                 "log":{"files":[{"name":"mariadb-bin.000001","term":1,"size":4096},{"name":"mariadb-bin.000002","term":1,"size":800}],
                  "end":{"file":"mariadb-bin.000002","position":800},"gtidExecuted":"0-7-42","gtidPurged":""},
                 "sentBytes":5000,"authenticationFailures":0,
                 "blockCache":{"fetches":1,"fetchedBytes":10,"hits":2,"sharedFetches":0,"bytes":100,"blocks":1},
                 "connections":[{"id":5,"address":"127.0.0.1:5555","user":"repl<x>","connectedAt":"2026-12-02T09:00:00Z",
                  "dumping":true,"sentBytes":4000,"dump":{"serverId":9101,"file":"mariadb-bin.000002","position":700,"behindBytes":100}},
                  {"id":6,"address":"127.0.0.1:5556","user":"monitor","connectedAt":"2026-12-02T09:00:00Z","dumping":false,"sentBytes":0}]}
                """;
        String html = new ReplayerStatusPage().render(new ObjectMapper().readTree(status));
        for (String s : new String[] {"shop.binlog", "mariadb-bin.000001", "0-7-42", "127.0.0.1:5555", "repl&lt;x&gt;", "9101",
                "mariadb-bin.000002:700", "2 connections, 1 dumping", "term 1", "MARIADB 10.11.6-MariaDB", "monitor", "not dumping"}) {
            assertTrue(html.contains(s), s + " missing from:\n" + html);
        }
        assertFalse(html.contains("repl<x>"), html);
    }
}
