package io.binlogbridge.server.access;

/** One line of the users file. */
public record UserAccount(String name, StoredSecret secret, Grants grants) {
    /** The line {@code user add} prints and the file holds. */
    public String toLine() {
        return grants.equals(Grants.DEFAULT) ? name + ":" + secret : name + ":" + secret + ":" + grants;
    }
}
