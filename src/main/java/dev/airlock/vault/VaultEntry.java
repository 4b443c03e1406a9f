package dev.airlock.vault;

import java.time.Instant;

/**
 * What {@code list} shows of a stored secret: its metadata, readable without the password. There is
 * no value here by construction.
 *
 * @param name     the secret's name
 * @param version  1 for the first value, incremented by every {@code set}
 * @param created  when the name was first set
 * @param updated  when the current value was set
 * @param internal true for Airlock's own keys (names starting with {@code airlock.}), which the
 *                 {@code secrets} commands cannot read, replace or remove
 */
public record VaultEntry(String name, int version, Instant created, Instant updated, boolean internal) {}
