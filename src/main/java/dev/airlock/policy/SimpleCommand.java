package dev.airlock.policy;

import java.util.List;
import java.util.Set;

/**
 * One simple command a line would run, after wrappers ({@code sudo}, {@code env}, {@code timeout},
 * {@code xargs}…) have been peeled off and quoting resolved.
 *
 * @param name the command name, normalised ({@code /bin/rm} and {@code \rm} are {@code rm}); for an
 *     opaque command, what stood in command position
 * @param argv the arguments including the name, literal where possible; a non-literal argument is
 *     shown as written
 * @param redirections the redirections that apply to this command
 * @param classes what the command does; never empty
 * @param accesses the files it reads and writes, resolved
 * @param hosts the network hosts it names (URLs, ssh targets, {@code /dev/tcp})
 * @param wrappers the wrappers that were peeled off, outermost first
 * @param pipedFrom names of commands whose output this command reads (earlier pipeline stages,
 *     process substitutions in its arguments)
 * @param traits facts that rules can match on: {@code opaque}, {@code recursive-function},
 *     {@code args-from-stdin}, {@code find-exec}, {@code remote}, {@code redirect-only}
 * @param notes why the command got its classes, in words for the user
 * @param source the part of the line this command came from
 * @param denials built-in rules that deny the command whatever else is configured, each with its
 *     reason (a git key that runs programs, decoded text piped into an interpreter, a setuid bit)
 */
public record SimpleCommand(
        String name,
        List<String> argv,
        List<Redirection> redirections,
        Set<CommandClass> classes,
        List<FileAccess> accesses,
        List<String> hosts,
        List<String> wrappers,
        List<String> pipedFrom,
        Set<String> traits,
        List<String> notes,
        String source,
        List<MatchedRule> denials) {

    /** The analysis could not see what this command does (variables, parse errors…). */
    public static final String OPAQUE = "opaque";
    public static final String RECURSIVE_FUNCTION = "recursive-function";
    public static final String ARGS_FROM_STDIN = "args-from-stdin";
    public static final String FIND_EXEC = "find-exec";
    public static final String REMOTE = "remote";
    public static final String REDIRECT_ONLY = "redirect-only";
    /** Its input (a pipe, a substitution) is decoded or generated text ({@code base64 -d}, {@code rev}). */
    public static final String DECODED_INPUT = "decoded-input";

    public SimpleCommand {
        argv = List.copyOf(argv);
        redirections = List.copyOf(redirections);
        classes = Set.copyOf(classes);
        accesses = List.copyOf(accesses);
        hosts = List.copyOf(hosts);
        wrappers = List.copyOf(wrappers);
        pipedFrom = List.copyOf(pipedFrom);
        traits = Set.copyOf(traits);
        notes = List.copyOf(notes);
        denials = List.copyOf(denials);
    }

    public boolean is(CommandClass c) {
        return classes.contains(c);
    }

    public boolean has(String trait) {
        return traits.contains(trait);
    }

    /** The arguments after the name. */
    public List<String> args() {
        return argv.isEmpty() ? argv : argv.subList(1, argv.size());
    }
}
