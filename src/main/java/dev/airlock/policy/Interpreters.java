package dev.airlock.policy;

import static dev.airlock.policy.Classifier.hasAny;
import static dev.airlock.policy.Dispatcher.operands;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Language interpreters and {@code source}: what they run is code the analysis cannot see into. */
final class Interpreters implements CommandFamily {
    static final Set<String> NAMES = Classifier.set("python", "python2", "python3", "perl", "ruby", "node",
            "nodejs", "php", "lua", "Rscript", "deno", "bun", "osascript", "pwsh", "powershell", "tclsh",
            "wish", "awk-script", "irb", "ipython", "groovy", "jshell");

    /** java.util.regex, as the String.matches it replaces; compiled once instead of per command. */
    private static final Pattern VERSIONED_INTERPRETER = Pattern.compile("python3\\.[0-9]+|perl5.*|ruby[0-9.]*");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, NAMES, Interpreters::interpreter);
        CommandFamily.all(t, Set.of("source", "."), (e, name, args) -> {
            e.unknown(name + " runs a script in the current shell, which the analysis cannot see into");
            if (!args.isEmpty()) {
                e.read(args.get(0));
            }
        });
        return t;
    }

    @Override
    public @Nullable Handler byShape(String name) {
        return VERSIONED_INTERPRETER.matcher(name).matches() ? Interpreters::interpreter : null;
    }

    private static void interpreter(Emitter e, String name, List<Word> args) {
        e.unknown("runs " + name + " code, which the analysis cannot see into");
        List<Word> ops = operands(args, Classifier.set("-c", "-e", "-m", "-W", "-X", "-E", "-r", "-I", "-M"));
        if (!hasAny(args, "-c", "-e", "-m", "-E", "-r", "-p", "-n") && !ops.isEmpty()) {
            e.read(ops.get(0));
        }
    }
}
