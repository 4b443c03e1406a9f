/**
 * The policy kernel: what a requested action would do, and whether it may happen.
 *
 * <p>Owns: shell command analysis ({@link dev.airlock.policy.CommandAnalyzer}, tree-sitter-bash),
 * classification of every simple command a line would run ({@link dev.airlock.policy.CommandClass};
 * one small table per command family behind {@code CommandFamily}: file, archive, network, interpreter,
 * git, database, infrastructure and system tools),
 * allow/ask/deny rules ({@link dev.airlock.policy.PolicyConfig}, {@link dev.airlock.policy.Rule}),
 * the decision engine ({@link dev.airlock.policy.PolicyEngine}), path scope
 * ({@link dev.airlock.policy.PathScope}), egress rules ({@link dev.airlock.policy.EgressPolicy}) and
 * rate limits ({@link dev.airlock.policy.RateLimiter}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A decision is a pure function of the request, the rules and the path context; the only I/O is
 *       looking at the file system the paths name: resolving symlinks and {@code ..}, expanding globs,
 *       reading ignore files, and listing the directories a recursive read ({@code grep -r}) covers.
 *       The verdict holds for the file system as it was when asked; the sandbox enforces it at run
 *       time.</li>
 *   <li>Deny wins over ask wins over allow; a line is allowed only when every simple command in it is
 *       allowed; anything the analysis cannot see (a variable in command position, a non-literal
 *       {@code eval}, a parse error) is at least asked about; a destructive command is never allowed
 *       without an approval, whatever the rules say.</li>
 *   <li>The same path rules apply to a file tool and to a shell command that names the file.</li>
 *   <li>Every refusal names the rule that decided it: a configured rule's id, or a built-in one
 *       ({@code builtin:never-readable}, {@code builtin:git-config-exec}, {@code builtin:too-complex}…).</li>
 *   <li>Analysis is bounded (line length, syntax depth, nesting, number of commands); past a bound the
 *       line is denied as too complex to analyse.</li>
 *   <li>Nothing here executes a command or opens a network connection.</li>
 * </ul>
 */
@NullMarked
package dev.airlock.policy;

import org.jspecify.annotations.NullMarked;
