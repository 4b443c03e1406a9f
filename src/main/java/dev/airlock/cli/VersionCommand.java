package dev.airlock.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Print the Airlock version.")
final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @Override
    public Integer call() {
        root.cli.out.println(root.json ? "{\"version\":" + Json.str(version()) + "}" : "airlock " + version());
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"airlock " + version()};
        }
    }
}
