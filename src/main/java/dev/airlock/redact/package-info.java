/**
 * The redaction engine: finds secrets and personal data in text and replaces them before the text
 * leaves Airlock (logs, audit details, CLI output, exports, tool output, model traffic).
 *
 * <p>It owns the detectors (known secret values from the vault in their common encodings and, from
 * their first {@value dev.airlock.redact.KnownSecrets#FRAGMENT_CHARS} chars, in pieces of at least
 * 12 chars (half a shorter value, never under 6) reversed, rot13'd and in any case; bare provider
 * secret keys next to their key id; provider
 * credential formats, private key blocks, credentials in URLs, connection strings and headers,
 * generic password assignments, and switchable personal data), the keyword prefilter that keeps them
 * cheap, the streaming redactor for process output, and the findings report.
 *
 * <p>Guarantees: matching runs in time linear in the input (RE2/J and hand-written automata, never a
 * backtracking engine); a secret split across stream chunks is redacted exactly as if the text had
 * arrived in one piece (for lines up to 32K chars; a longer line is cut where no finding crosses,
 * which can only add redactions, never drop one; the one exception is a bare provider key printed on a
 * line released before its key id arrived, which whole-text redaction would catch); findings and error messages never carry a matched value; known secret values
 * are held only as bytes or chars, are never printed and are wiped when the set is cleared.
 * {@link dev.airlock.redact.Redactor} is immutable and thread-safe once created.
 *
 * <p>Redaction is a last line: a program allowed to read a secret can always print it in a form no
 * filter recognises. The policy and the sandbox keep secrets in; {@code docs/redaction.md} lists what
 * this package cannot catch.
 */
@NullMarked
package dev.airlock.redact;

import org.jspecify.annotations.NullMarked;
