package dev.airlock.policy;

/**
 * What a simple command does, as far as the analysis can tell. A command usually has more than one
 * class ({@code curl -o out https://x} is {@link #NETWORK} and {@link #WRITE_WORKSPACE}).
 */
public enum CommandClass {
    /** Reads files or prints information; changes nothing. */
    READ_ONLY,
    /** Writes files inside a workspace root. */
    WRITE_WORKSPACE,
    /** Writes files, or changes state, outside every workspace root. */
    WRITE_OUTSIDE,
    /** Deletes, overwrites or otherwise does something that cannot be undone. */
    DESTRUCTIVE,
    /** Runs with raised privileges or changes the system (sudo, mount, firewall, services). */
    PRIVILEGED,
    /** Talks to the network. */
    NETWORK,
    /** The analysis cannot tell what the command does. */
    UNKNOWN
}
