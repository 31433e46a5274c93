package io.binlogbridge.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.server.access.ClusterSelection.Choice;
import io.binlogbridge.server.access.ClusterSelection.LoginName;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSelectionTest {
    private static final ClusterSelection TWO = new ClusterSelection(List.of("a", "b"));

    @Test
    void loginNameSplitsAtTheFirstBar() {
        assertEquals(new LoginName("repl", "a"), LoginName.parse("repl|a"));
        assertEquals(new LoginName("repl", null), LoginName.parse("repl"));
        assertEquals(new LoginName("repl", "a|b"), LoginName.parse("repl|a|b"));
        assertEquals(new LoginName("repl", ""), LoginName.parse("repl|"));
    }

    @Test
    void aNamedClusterIsChosenWhateverTheGrants() {
        // Privileges are checked by what the connection then does (1227 at dump time), not at the choice.
        assertEquals(new Choice.Selected("b"), TWO.choose("b", Grants.parse("replication@a")));
    }

    @Test
    void aNameThatIsNoClusterIsUnknown() {
        assertEquals(new Choice.Unknown("c"), TWO.choose("c", Grants.DEFAULT));
        assertEquals(new Choice.Unknown(""), TWO.choose("", Grants.DEFAULT));
        assertEquals(new Choice.Unknown("x"), ClusterSelection.NONE.choose("x", Grants.DEFAULT));
    }

    @Test
    void theOnlyClusterIsChosenWithoutAName() {
        assertEquals(new Choice.Selected("a"), new ClusterSelection(List.of("a")).choose(null, Grants.parse("replication@other")));
    }

    @Test
    void theOnlyGrantedClusterIsChosen() {
        assertEquals(new Choice.Selected("b"), TWO.choose(null, Grants.parse("replication@b,monitor@b")));
        // A grant on a cluster this replayer does not serve does not count.
        assertEquals(new Choice.Selected("a"), TWO.choose(null, Grants.parse("replication@a,replication@elsewhere")));
    }

    @Test
    void grantsOnSeveralOrAllClustersAreAmbiguous() {
        assertEquals(new Choice.Ambiguous(List.of("a", "b")), TWO.choose(null, Grants.DEFAULT));
        assertEquals(new Choice.Ambiguous(List.of("a", "b")), TWO.choose(null, Grants.parse("replication@a,monitor@b")));
        assertEquals(new Choice.Ambiguous(List.of()), TWO.choose(null, Grants.parse("replication@elsewhere")));
    }

    @Test
    void aServerWithoutClustersSelectsNone() {
        assertEquals(new Choice.Selected(null), ClusterSelection.NONE.choose(null, Grants.DEFAULT));
    }

    @Test
    void replicationOnSomeCluster() {
        assertEquals(true, Grants.parse("monitor,replication@a").allowsOnSomeCluster(Privilege.REPLICATION));
        assertEquals(false, Grants.parse("monitor,admin@a").allowsOnSomeCluster(Privilege.REPLICATION));
    }
}
