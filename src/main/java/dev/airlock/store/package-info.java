/**
 * Tenant storage: one SQLite database per tenant under {@code HOME/tenants/NAME/}, WAL mode,
 * {@code synchronous=FULL}, schema migrated by Flyway, accessed through Jdbi.
 *
 * <p>Guarantees: tenant names cannot escape the tenants folder; no query spans two tenants; a
 * corrupt or foreign database file is reported (exit 3) and never modified; a deleted tenant
 * disappears atomically.
 */
@NullMarked
package dev.airlock.store;

import org.jspecify.annotations.NullMarked;
