/**
 * The bottom of the kernel: the Airlock home (data directory layout and permissions), user
 * configuration loading and validation, logging setup, exit codes and the base exception.
 *
 * <p>Guarantees: every directory this package creates is mode 0700 and every file 0600; a
 * configuration file with an unknown key or a wrong type is rejected with the file, line and key
 * named; nothing here depends on any other Airlock package.
 */
@NullMarked
package dev.airlock.home;

import org.jspecify.annotations.NullMarked;
