package dev.airlock.cli;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditReader;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tenant", description = "Create, list and delete tenants (one database each).",
        subcommands = {TenantCommand.Create.class, TenantCommand.ListTenants.class, TenantCommand.Delete.class})
final class TenantCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: tenant needs a subcommand: create, list or delete. Try 'airlock tenant --help'.");
        return ExitCode.USAGE.code();
    }

    @Command(name = "create", description = "Create a tenant with its own database and audit log.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TenantCommand parent;

        @Parameters(paramLabel = "NAME", description = "1-40 lowercase letters, digits, '-' or '_'.")
        String name;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            TenantName tenant = TenantName.of(name);
            s.createTenant(tenant);
            parent.root.cli.err.println("Created tenant '" + tenant + "' at " + s.tenants().dir(tenant) + ".");
            return 0;
        }
    }

    @Command(name = "list", description = "List tenants.")
    static final class ListTenants implements Callable<Integer> {
        @ParentCommand
        TenantCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            List<Map<String, Object>> rows = new ArrayList<>();
            // One unreadable tenant must not hide the others: list them all, then report the first failure.
            AirlockException firstFailure = null;
            for (TenantName t : s.tenants().list()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", t.value());
                try {
                    TenantDb db = s.db(t);
                    row.put("audit_rows", AuditReader.of(db).count());
                } catch (AirlockException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                    row.put("audit_rows", null);
                    row.put("error", e.getMessage());
                }
                row.put("path", s.tenants().dir(t).toString());
                rows.add(row);
            }
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(rows));
            } else {
                for (Map<String, Object> r : rows) {
                    if (r.containsKey("error")) {
                        parent.root.cli.out.printf("%-24s %10s%n", r.get("name"), "unreadable");
                    } else {
                        parent.root.cli.out.printf("%-24s %10s audit rows%n", r.get("name"), r.get("audit_rows"));
                    }
                }
            }
            parent.root.cli.out.flush();
            if (firstFailure != null) {
                throw firstFailure;
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a tenant and everything in it. Recorded in the default tenant's audit log.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        TenantCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--yes", description = "Confirm the deletion (required).")
        boolean yes;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            TenantName tenant = TenantName.of(name);
            if (tenant.equals(TenantName.DEFAULT)) {
                throw AirlockException.usage("the default tenant cannot be deleted; it holds the record of other tenants' deletion");
            }
            if (!s.tenants().exists(tenant)) {
                throw AirlockException.usage("no tenant '" + tenant + "'; list them with 'airlock tenant list'");
            }
            AuditReader reader = AuditReader.of(s.db(tenant));
            long rows = reader.count();
            if (!yes) {
                throw new AirlockException(ExitCode.APPROVAL_REQUIRED, "deleting tenant '" + tenant + "' destroys its database and "
                        + rows + " audit rows; run again with --yes to confirm");
            }
            String logId = reader.logId();
            String head = rows == 0 ? "" : reader.tail(1).get(0).hash();
            s.release(tenant);
            // Recorded first in a tenant that survives: if the record cannot be written, nothing is deleted.
            java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> detached = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                s.audit(TenantName.DEFAULT).appendWith(AuditEvent.builder("tenant.delete").target("tenant:" + tenant)
                        .detail("log_id", logId).detail("rows", rows).detail("head_hash", head).build(),
                        h -> {
                            detached.set(s.tenants().detach(tenant));
                            return null;
                        });
            } catch (RuntimeException e) {
                if (detached.get() != null) {
                    s.tenants().restore(detached.get(), tenant);
                }
                throw e;
            }
            s.tenants().purge(detached.get());
            parent.root.cli.err.println("Deleted tenant '" + tenant + "' (" + rows + " audit rows; head " + abbreviate(head)
                    + " recorded in tenant 'default').");
            return 0;
        }
    }

    static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
