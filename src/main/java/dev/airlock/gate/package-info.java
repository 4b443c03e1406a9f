/**
 * The one path every action takes: policy decision, approval, sandboxed execution, redaction of
 * what comes back, and the audit record.
 *
 * <p>Guarantees: a denied command never runs, whatever the mode or flag ({@code --yes} approves
 * asks, never denies); an asked command runs only with an approval, and who approved it (the user,
 * {@code --yes}) is in its audit row; that row is durable before the command starts, so an action
 * whose record cannot be written does not happen; everything the command prints passes the
 * redactor before it reaches anyone; the result (exit status, duration, sizes) is recorded after.
 *
 * <p>Egress: Airlock's own HTTP leaves through {@link dev.airlock.gate.EgressGate}; a sandboxed
 * command never has the host's network, and a line with a network command reaches out only through
 * an egress proxy the gate owns for that one exec, which decides every connection on its own
 * (the egress policy on the name and on each resolved address, with the port) and records it as an
 * {@code egress.connect} row before a byte leaves. Without {@code socat} (the bridge into the
 * sandbox) such a line is refused.
 */
@NullMarked
package dev.airlock.gate;

import org.jspecify.annotations.NullMarked;
