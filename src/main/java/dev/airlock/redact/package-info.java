/**
 * The redaction engine: finds secrets and personal data in text and replaces them before the text
 * leaves Airlock (logs, audit details, CLI output, exports, tool output, model traffic).
 *
 * <p>It owns the detectors (known secret values from the vault in their common encodings, provider
 * credential formats, private key blocks, credentials in URLs, connection strings and headers,
 * generic password assignments, and switchable personal data), the keyword prefilter that keeps them
 * cheap, the streaming redactor for process output, and the findings report.
 *
 * <p>Guarantees: matching runs in time linear in the input (RE2/J and hand-written automata, never a
 * backtracking engine); a secret split across stream chunks is redacted exactly as if the text had
 * arrived in one piece (for lines up to 32K chars; a longer line is cut where no finding crosses,
 * which can only add redactions, never drop one); findings and error messages never carry a matched value; known secret values
 * are held only as bytes or chars, are never printed and are wiped when the set is cleared.
 * {@link dev.airlock.redact.Redactor} is immutable and thread-safe once created.
 */
@NullMarked
package dev.airlock.redact;

import org.jspecify.annotations.NullMarked;
