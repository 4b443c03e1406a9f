package dev.airlock.cli;

import dev.airlock.vault.PublicIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "identity", description = "Show the tenant's public keys.", subcommands = IdentityCommand.Show.class)
final class IdentityCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: identity needs a subcommand: show. Try 'airlock identity --help'.");
        return 2;
    }

    @Command(name = "show", description = "Print the fingerprints of the tenant's Ed25519 signing and X25519 agreement keys.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        IdentityCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            PublicIdentity id = s.vault(s.tenantName()).publicIdentity();
            if (parent.root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tenant", id.tenant());
                m.put("signing_ed25519", id.signingFingerprint());
                m.put("agreement_x25519", id.agreementFingerprint());
                parent.root.cli.out.println(Json.write(m));
            } else {
                parent.root.cli.out.println("tenant:            " + id.tenant());
                parent.root.cli.out.println("signing (Ed25519): " + id.signingFingerprint());
                parent.root.cli.out.println("agreement (X25519): " + id.agreementFingerprint());
                parent.root.cli.err.println("Keep the signing fingerprint somewhere safe: audit checkpoints are signed with this key.");
            }
            return 0;
        }
    }
}
