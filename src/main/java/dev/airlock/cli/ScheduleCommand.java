package dev.airlock.cli;

import dev.airlock.home.ExitCode;
import dev.airlock.policy.PathContext;
import dev.airlock.workflow.Schedules;
import dev.airlock.workflow.Validator;
import dev.airlock.workflow.WorkflowLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedule", description = {"Run workflows on a cron schedule (5 crontab fields, UTC).",
    "Scheduled runs start only while 'airlock scheduler' (or, later, 'airlock serve') runs; they are non-interactive, so a gate parks them",
    "for 'airlock approve' and 'airlock run --resume'."},
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Remove.class})
final class ScheduleCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: schedule needs a subcommand: add, list or rm. Try 'airlock schedule --help'.");
        return ExitCode.USAGE.code();
    }

    @Command(name = "add", description = {"Schedule a workflow file (validated now, and again at every start).",
        "Example: airlock schedule add --cron '0 3 * * *' nightly.yaml --input days=7"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "When: 5 crontab fields, UTC.")
        String cron = "";

        @Parameters(paramLabel = "FILE", description = "The workflow file.")
        Path file = Path.of("");

        @Option(names = "--input", paramLabel = "NAME=VALUE", description = "A workflow input (repeatable; stored in plain text).")
        List<String> inputs = new ArrayList<>();

        @Option(names = "--workspace", paramLabel = "DIR", description = "The workspace of its runs (default: the current folder).")
        @Nullable Path workspace;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            Map<String, String> given = RunCommand.parseInputs(inputs);
            var w = WorkflowLoader.load(file);
            PathContext context = s.workspaceContext(workspace);
            Validator.create(s.policy().analyzer(), context).validate(w);
            for (String k : given.keySet()) {
                if (!w.inputs().containsKey(k)) {
                    throw dev.airlock.home.AirlockException.usage("workflow '" + w.name() + "' has no input '" + k + "'");
                }
            }
            Schedules.Schedule sc = schedules(s).add(cron, file.toAbsolutePath().normalize(), context.workspaceRoots().get(0), given);
            Instant next = Schedules.next(cron, s.clock().instant()).orElse(null);
            parent.root.cli.err.println("airlock: scheduled " + sc.id() + ": " + w.name() + " at '" + cron + "' (UTC); next "
                    + (next == null ? "never" : next) + ". Runs start while 'airlock scheduler' runs.");
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(json(sc, s)));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Every schedule of the tenant, with its next time.")
    static final class ListSchedules implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            List<Schedules.Schedule> all = schedules(s).list();
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(all.stream().map(sc -> json(sc, s)).toList()));
                return 0;
            }
            if (all.isEmpty()) {
                parent.root.cli.err.println("airlock: no schedules; add one with 'airlock schedule add --cron EXPR FILE'");
                return 0;
            }
            parent.root.cli.out.println(String.format("%-10s %-16s %-22s %-13s %s", "ID", "CRON", "NEXT", "LAST RUN", "FILE"));
            for (Schedules.Schedule sc : all) {
                parent.root.cli.out.println(String.format("%-10s %-16s %-22s %-13s %s", sc.id(), sc.cron(),
                        Schedules.next(sc.cron(), s.clock().instant()).map(Instant::toString).orElse("never"),
                        sc.lastRunId() == null ? "-" : sc.lastRunId(), TerminalApprover.visible(sc.file().toString())));
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove a schedule (runs it started are kept).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Parameters(paramLabel = "ID")
        String id = "";

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            schedules(s).remove(id);
            parent.root.cli.err.println("airlock: removed schedule " + id);
            return 0;
        }
    }

    static Schedules schedules(Session s) {
        return Schedules.create(s.db(), s.audit(), s.clock());
    }

    static Map<String, Object> json(Schedules.Schedule sc, Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", sc.id());
        m.put("cron", sc.cron());
        m.put("file", sc.file().toString());
        m.put("workspace", sc.workspace().toString());
        m.put("inputs", sc.inputs());
        m.put("created", sc.created().toString());
        m.put("next", Schedules.next(sc.cron(), s.clock().instant()).map(Instant::toString).orElse(null));
        m.put("last_fired", sc.lastFired() == null ? null : sc.lastFired().toString());
        m.put("last_run", sc.lastRunId());
        return m;
    }
}
