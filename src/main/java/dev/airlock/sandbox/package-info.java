/**
 * Running commands under bubblewrap: the {@link dev.airlock.sandbox.Sandbox} every process that
 * Airlock starts on a user's behalf goes through, its frozen {@link dev.airlock.sandbox.SandboxSpec},
 * and the {@link dev.airlock.sandbox.SandboxProbe} behind {@code airlock doctor}.
 *
 * <p>This package owns how a command runs, not whether it may: the policy engine decides, the gate
 * asks and audits, this package isolates and limits. It guarantees that a sandboxed command sees the
 * host read-only except its workspace, has a private {@code /tmp} and {@code /run} (no host Unix
 * socket there is reachable), never the host's network (its own namespace; when the spec names an
 * egress proxy, that proxy bridged in by {@code socat} is the only way out), no capabilities, its own PID namespace and
 * session, none of the hidden paths, and an environment of allow-listed names only (never a
 * secret-looking one); that its stdout and stderr pass a caller-supplied sink before anyone sees
 * them; and that at its time or output limit its whole process tree is gone before {@code run}
 * returns. It also masks the host's own secrets (shadow files, sudo rules, host keys) and other
 * users' homes in every run, keeps the workspace's git code-execution points and {@code .airlock/}
 * read-only, and removes a {@code .git/commondir} a command planted; which files in the workspace
 * are masked is the caller's to say (the gate asks the policy). It depends only on {@code home}.
 *
 * <p>It does not filter system calls (no seccomp), limit memory or CPU (no cgroups), or hide Unix
 * sockets outside {@code /run} and {@code /tmp}: callers hide such directories (for example
 * {@code ~/.gnupg}, {@code ~/.docker}) with {@link dev.airlock.sandbox.SandboxSpec.Builder#hide}.
 */
@NullMarked
package dev.airlock.sandbox;

import org.jspecify.annotations.NullMarked;
