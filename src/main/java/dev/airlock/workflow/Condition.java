package dev.airlock.workflow;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@code when} condition: {@code OPERAND OP 'text'} where the operand is {@code inputs.NAME} or
 * {@code nodes.ID.output} (compared with surrounding white space stripped) and OP is {@code ==},
 * {@code !=} or {@code contains}. Deliberately no more: a condition must be readable at a glance.
 */
record Condition(Template.Ref ref, String op, String literal) {
    private static final Pattern FORM = Pattern.compile(
            "\\s*(?:inputs\\.([A-Za-z_][A-Za-z0-9_]*)|nodes\\.([A-Za-z0-9_][A-Za-z0-9_-]*)\\.output)\\s*(==|!=|contains)\\s*"
                    + "(?:'([^']*)'|\"([^\"]*)\")\\s*");

    static @Nullable Condition parse(String text, String where, List<String> problems) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            problems.add(where + ": when '" + text + "' is not a condition; write e.g. nodes.check.output == 'yes'"
                    + " (operators: ==, !=, contains)");
            return null;
        }
        Template.Ref ref = m.group(1) != null ? new Template.InputRef(m.group(1)) : new Template.OutputRef(m.group(2));
        return new Condition(ref, m.group(3), m.group(4) != null ? m.group(4) : m.group(5));
    }

    boolean test(Function<Template.Ref, String> value) {
        String v = value.apply(ref).strip();
        return switch (op) {
            case "==" -> v.equals(literal);
            case "!=" -> !v.equals(literal);
            default -> v.contains(literal);
        };
    }
}
