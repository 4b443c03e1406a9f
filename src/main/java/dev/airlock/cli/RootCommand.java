package dev.airlock.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "airlock",
        // INHERIT gives every subcommand --help, which the "Try 'airlock X --help'" hint promises.
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionCommand.Provider.class,
        description = "A local-first AI agent orchestrator whose security model is the product.",
        subcommands = {
            InitCommand.class,
            TenantCommand.class,
            AuditCommand.class,
            ConfigCommand.class,
            SecretsCommand.class,
            IdentityCommand.class,
            RedactCommand.class,
            PolicyCommand.class,
            ExecCommand.class,
            RunCommand.class,
            RunsCommand.class,
            ApproveCommand.class,
            DenyCommand.class,
            ScheduleCommand.class,
            SchedulerCommand.class,
            ChatCommand.class,
            AskCommand.class,
            PlanCommand.class,
            AgentsCommand.class,
            SessionsCommand.class,
            DoctorCommand.class,
            DemoCommand.class,
            VersionCommand.class,
        })
final class RootCommand implements java.util.concurrent.Callable<Integer> {
    final Cli cli;
    private final Session session;

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Airlock home (default: $AIRLOCK_HOME, else ${XDG_DATA_HOME:-~/.local/share}/airlock).")
    @Nullable Path home;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "NAME", defaultValue = "default",
            description = "Tenant to act on (default: ${DEFAULT-VALUE}).")
    String tenant = "default";

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print data as JSON.")
    boolean json;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean debug;

    RootCommand(Cli cli) {
        this.cli = cli;
        this.session = new Session(this);
    }

    Session session() {
        return session;
    }

    Optional<Path> homeOption() {
        return Optional.ofNullable(home);
    }

    @Override
    public Integer call() {
        cli.err.println("airlock: a command is required. Try 'airlock --help', or 'airlock demo' to see it work.");
        return dev.airlock.home.ExitCode.USAGE.code();
    }
}
