package dev.airlock.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.airlock.home.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Show and check the user configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Check.class})
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: config needs a subcommand: show or check. Try 'airlock config --help'.");
        return 2;
    }

    @Command(name = "show", description = "Print the effective configuration (file values over defaults).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() throws Exception {
            Session s = parent.root.session();
            Config c = s.config();
            Map<String, Object> all = new LinkedHashMap<>(c.sections());
            ObjectMapper m = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(all));
            } else {
                parent.root.cli.out.print("# " + c.file().map(Object::toString).orElse(
                        Config.userConfigPath(s.env()) + " (not present: defaults)") + "\n" + m.writeValueAsString(all));
            }
            return 0;
        }
    }

    @Command(name = "check", description = "Validate the configuration file; exit 2 naming the line and key if it is invalid.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            Config c = s.config();
            parent.root.cli.err.println(c.file().map(f -> "Config " + f + " is valid.")
                    .orElse("No config file at " + Config.userConfigPath(s.env()) + "; defaults apply."));
            return 0;
        }
    }
}
