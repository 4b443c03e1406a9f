package dev.airlock.cli;

import dev.airlock.home.AirlockHome;
import dev.airlock.store.TenantName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create the Airlock home and the default tenant with its vault and keys (safe to run again).")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        Session s = root.session();
        AirlockHome home = s.home();
        TenantName tenant = s.tenantName();
        s.config().section("vault", dev.airlock.vault.VaultSettings.class).params(); // bad config: nothing created
        boolean tenantExists = home.isInitialized() && dev.airlock.store.Tenants.of(home).exists(tenant);
        boolean vaultMissing = tenantExists && !s.hasIdentity(tenant);
        // Everything that can fail for want of input is asked before anything is written.
        char[] password = !tenantExists || vaultMissing ? s.newVaultPassword() : null;
        boolean created = home.initialize();
        s.startLogging(home);
        boolean tenantCreated = false;
        if (!tenantExists) {
            s.createTenant(tenant, password);
            tenantCreated = true;
        } else if (vaultMissing) {
            s.createVault(tenant, password);
            tenantCreated = true;
        }
        if (root.json) {
            root.cli.out.println("{\"home\":" + Json.str(home.root().toString()) + ",\"created\":" + created
                    + ",\"tenant\":" + Json.str(tenant.value()) + ",\"tenant_created\":" + tenantCreated + "}");
        } else if (created || tenantCreated) {
            root.cli.err.println("Initialised Airlock home at " + home.root() + " with tenant '" + tenant + "'.");
        } else {
            root.cli.err.println("Airlock home at " + home.root() + " is already initialised (tenant '" + tenant + "' exists).");
        }
        return 0;
    }
}
