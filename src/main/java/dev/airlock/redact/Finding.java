package dev.airlock.redact;

/**
 * One place where the redactor found something to hide. It deliberately carries no part of the
 * matched value, so a report can be printed, logged or exported as it is.
 *
 * @param type   the detector that fired, e.g. {@code aws-access-key}, {@code known-secret}
 * @param line   1-based line of the first redacted character
 * @param column 1-based column (in UTF-16 chars) of the first redacted character
 * @param offset 0-based char offset of the first redacted character in the scanned text
 * @param length number of chars redacted
 */
public record Finding(String type, int line, int column, int offset, int length) {}
