/**
 * Workflows: DAGs of shell commands, model calls and human approval gates, validated before anything
 * runs and executed by a runner that cannot skip the gates.
 *
 * <p>Public API: {@link dev.airlock.workflow.WorkflowLoader} (text to {@link dev.airlock.workflow.Workflow}),
 * {@link dev.airlock.workflow.Validator} (the rules, and {@code withGates} for planners),
 * {@link dev.airlock.workflow.Runner} (start and resume runs) and {@link dev.airlock.workflow.Runs}
 * (list, show, approve, deny). Everything else is package-private.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A workflow that breaks a rule (duplicate or unknown ids, a cycle, a template naming a node
 *       that is not an ancestor, a destructive node without an approval gate among its direct
 *       parents) is refused whole, with exit 2, before any node runs. A node is destructive if the
 *       file says so or the policy engine classifies its command as destructive; a file cannot
 *       declare such a command harmless.</li>
 *   <li>Every shell node goes through {@link dev.airlock.gate.Gate#exec}; a destructive node runs
 *       only after an approval of its gate was recorded in the audit log, and only with exactly the
 *       command line that approval showed.</li>
 *   <li>Values substituted into a shell command are quoted as one shell word.</li>
 *   <li>Before each {@code llm} node the worst-case cost is projected; over the cap, the run fails
 *       with {@code cost_cap_exceeded} (exit 6) before the request is sent.</li>
 *   <li>Every run, node, approval and cost is stored in the tenant database in the same transaction
 *       as its audit row; node outputs and the workflow text are sealed with the tenant's
 *       {@link dev.airlock.vault.ContentCipher}.</li>
 * </ul>
 */
@NullMarked
package dev.airlock.workflow;

import org.jspecify.annotations.NullMarked;
