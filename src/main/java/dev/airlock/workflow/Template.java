package dev.airlock.workflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {{inputs.NAME}}} and {@code {{nodes.ID.output}}} placeholders. Nothing else is
 * allowed between the braces: no expressions, no filters, so a template can be checked completely
 * before anything runs.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("\\s*inputs\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern OUTPUT = Pattern.compile("\\s*nodes\\.([A-Za-z0-9_][A-Za-z0-9_-]*)\\.output\\s*");

    /** What a placeholder refers to. */
    sealed interface Ref permits InputRef, OutputRef {}

    record InputRef(String name) implements Ref {}

    record OutputRef(String node) implements Ref {}

    private sealed interface Part permits Text, Slot {}

    private record Text(String text) implements Part {}

    private record Slot(Ref ref) implements Part {}

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = parts;
    }

    /** Parses {@code text}; {@code problems} gets one line per placeholder it cannot read. */
    static Template parse(String text, String where, List<String> problems) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            parts.add(new Text(text.substring(last, m.start())));
            String inner = m.group(1);
            Matcher in = INPUT.matcher(inner);
            Matcher out = OUTPUT.matcher(inner);
            if (in.matches()) {
                parts.add(new Slot(new InputRef(in.group(1))));
            } else if (out.matches()) {
                parts.add(new Slot(new OutputRef(out.group(1))));
            } else {
                problems.add(where + ": '{{" + inner + "}}' is not a placeholder; use {{inputs.NAME}} or {{nodes.ID.output}}");
            }
            last = m.end();
        }
        String rest = text.substring(last);
        if (rest.contains("{{")) {
            problems.add(where + ": an unclosed '{{'");
        }
        parts.add(new Text(rest));
        return new Template(parts);
    }

    /** Parses a template already known to be valid. */
    static Template parse(String text) {
        List<String> problems = new ArrayList<>();
        Template t = parse(text, "template", problems);
        if (!problems.isEmpty()) {
            throw WorkflowException.invalid(problems.get(0));
        }
        return t;
    }

    Set<Ref> refs() {
        Set<Ref> refs = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof Slot s) {
                refs.add(s.ref());
            }
        }
        return refs;
    }

    /** The text with every placeholder replaced by {@code value(ref)}. */
    String render(Function<Ref, String> value) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> sb.append(t.text());
                case Slot s -> sb.append(value.apply(s.ref()));
            }
        }
        return sb.toString();
    }

    /** {@code value} as one single-quoted shell word, whatever it holds. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
