package dev.airlock.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every simple command a shell line would run, with its classification.
 *
 * @param line the line as given
 * @param commands the simple commands, in source order (nested ones after the command that
 *     contains them)
 * @param parseError whether tree-sitter reported a syntax error; the line then also carries an
 *     opaque command so that it is asked about
 */
public record CommandAnalysis(String line, List<SimpleCommand> commands, boolean parseError) {
    public CommandAnalysis {
        commands = List.copyOf(commands);
    }

    /** The union of the classes of all commands. */
    public Set<CommandClass> classes() {
        EnumSet<CommandClass> all = EnumSet.noneOf(CommandClass.class);
        commands.forEach(c -> all.addAll(c.classes()));
        return all;
    }

    /** Whether any command is destructive: the workflow runner puts an approval gate in front. */
    public boolean isDestructive() {
        return commands.stream().anyMatch(c -> c.is(CommandClass.DESTRUCTIVE));
    }

    /** Whether the analysis could not see everything the line does. */
    public boolean isOpaque() {
        return parseError || commands.stream().anyMatch(c -> c.has(SimpleCommand.OPAQUE));
    }
}
