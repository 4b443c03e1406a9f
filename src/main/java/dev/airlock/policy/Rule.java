package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One allow, ask or deny rule, as written in YAML (snake_case). Every condition that is present must
 * hold for the rule to match a simple command; a rule with no condition is rejected. Patterns are globs
 * ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}; {@code **} across directories in paths).
 *
 * @param id optional name shown in decisions and audit records
 * @param command glob on the command name after unwrapping ({@code rm}, {@code {sudo,su}})
 * @param args globs that the first arguments must match, in order ({@code [push]}, {@code [status]})
 * @param argsAny the rule matches if any argument matches any of these globs
 * @param argsNone the rule matches only if no argument matches any of these globs
 * @param paths path globs: absolute ({@code /etc/**}), home-relative ({@code ~/.ssh}) or a name
 *     anywhere ({@code .env*}); a pattern covers everything below a matching directory
 * @param access which accesses {@code paths} looks at: {@code read}, {@code write} or {@code any}
 * @param domains host globs for network access ({@code github.com}, {@code *.github.com})
 * @param classes the command must have all of these classes
 * @param onlyClasses the command may have no class outside this set
 * @param pipedFrom globs on commands whose output this command reads ({@code curl} for curl|sh)
 * @param wrappers globs on the wrappers peeled off ({@code sudo}, {@code xargs})
 * @param traits analysis traits, any of which must be present ({@code recursive-function})
 * @param reason why, shown to the user and to the model
 */
public record Rule(
        @JsonProperty("id") @Nullable String id,
        @JsonProperty("command") @Nullable String command,
        @JsonProperty("args") @Nullable List<String> args,
        @JsonProperty("args_any") @Nullable List<String> argsAny,
        @JsonProperty("args_none") @Nullable List<String> argsNone,
        @JsonProperty("paths") @Nullable List<String> paths,
        @JsonProperty("access") @Nullable Access access,
        @JsonProperty("domains") @Nullable List<String> domains,
        @JsonProperty("classes") @Nullable Set<CommandClass> classes,
        @JsonProperty("only_classes") @Nullable Set<CommandClass> onlyClasses,
        @JsonProperty("piped_from") @Nullable List<String> pipedFrom,
        @JsonProperty("wrappers") @Nullable List<String> wrappers,
        @JsonProperty("traits") @Nullable List<String> traits,
        @JsonProperty("reason") @Nullable String reason) {

    /** Which file accesses a {@code paths} condition looks at. */
    public enum Access {
        READ,
        WRITE,
        ANY
    }

    /** A rule on the command name alone. */
    public static Rule command(String command, @Nullable String reason) {
        return new Rule(null, command, null, null, null, null, null, null, null, null, null, null, null, reason);
    }

    /** A rule on paths alone. */
    public static Rule paths(List<String> paths, Access access, @Nullable String reason) {
        return new Rule(null, null, null, null, null, paths, access, null, null, null, null, null, null, reason);
    }

    /** A rule on network domains alone. */
    public static Rule domains(List<String> domains, @Nullable String reason) {
        return new Rule(null, null, null, null, null, null, null, domains, null, null, null, null, null, reason);
    }
}
