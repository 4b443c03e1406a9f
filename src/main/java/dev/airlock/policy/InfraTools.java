package dev.airlock.policy;

import static dev.airlock.policy.Classifier.hasAny;
import static dev.airlock.policy.Classifier.joined;
import static dev.airlock.policy.Classifier.recursive;
import static dev.airlock.policy.Classifier.verb;
import static dev.airlock.policy.CommandClass.NETWORK;
import static dev.airlock.policy.CommandClass.PRIVILEGED;
import static dev.airlock.policy.CommandClass.READ_ONLY;
import static dev.airlock.policy.CommandClass.WRITE_OUTSIDE;
import static dev.airlock.policy.CommandClass.WRITE_WORKSPACE;
import static dev.airlock.policy.Dispatcher.operands;
import static dev.airlock.policy.Dispatcher.optionValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Infrastructure and project tools: kubectl, docker, cloud CLIs, build tools and language package managers. */
final class InfraTools implements CommandFamily {
    static final Set<String> BUILD_TOOLS = Classifier.set("make", "mvn", "mvnw", "gradle", "gradlew", "ant", "sbt",
            "cmake", "ctest", "ninja", "bazel", "pytest", "tox", "nox", "jest", "vitest", "tsc", "eslint",
            "prettier", "javac", "java", "gcc", "g++", "cc", "clang", "rustc", "ruff", "mypy", "black", "flake8",
            "pylint", "isort", "go", "dotnet", "swift", "kotlinc", "scalac", "cargo", "npm", "npx", "yarn",
            "pnpm", "bundle", "rake", "composer", "mix", "stack", "cabal", "poetry", "uv", "pipenv", "pip",
            "pip3", "gem", "brew", "just", "task", "deno", "bun", "terraform", "tofu", "pre-commit");

    static final Set<String> REMOVE_VERBS = Classifier.set("remove", "uninstall", "purge", "autoremove", "erase",
            "rm", "un", "unlink", "del", "delete", "r", "prune", "clean");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, Set.of("kubectl", "oc", "helm"), InfraTools::kube);
        CommandFamily.all(t, Set.of("docker", "podman", "nerdctl"), InfraTools::docker);
        CommandFamily.all(t, Set.of("aws", "gcloud", "az", "doctl", "flyctl", "heroku"), InfraTools::cloud);
        return t;
    }

    /** Build tools come last, after the network clients and system package managers. */
    static Map<String, Handler> buildTools() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, BUILD_TOOLS, InfraTools::buildTool);
        return t;
    }

    private static void kube(Emitter e, String name, List<Word> args) {
        e.network(name + " talks to a cluster");
        String v = verb(operands(args, Classifier.set("-n", "--namespace", "--context", "--kubeconfig", "-o", "-l",
                "--selector", "-c", "--container", "-f", "--filename", "--cluster", "--user")));
        if (v == null) {
            e.unknown(name + " with a sub-command the analysis cannot see");
            return;
        }
        if (name.equals("helm")) {
            switch (v) {
                case "uninstall", "delete", "del", "un" -> e.destructive("helm uninstall removes a release");
                case "list", "ls", "status", "get", "show", "template", "lint", "search", "version", "history",
                     "env", "dependency", "verify", "repo" -> e.cls(READ_ONLY);
                case "rollback" -> e.cls(WRITE_OUTSIDE).note("helm rollback replaces a release");
                default -> e.cls(WRITE_OUTSIDE).note("helm changes cluster state");
            }
            return;
        }
        switch (v) {
            case "delete" -> e.cls(WRITE_OUTSIDE).destructive(name + " delete removes cluster resources");
            case "drain" -> e.cls(WRITE_OUTSIDE).destructive(name + " drain evicts every pod from a node");
            case "replace" -> {
                e.cls(WRITE_OUTSIDE);
                if (hasAny(args, "--force")) {
                    e.destructive(name + " replace --force deletes and recreates resources");
                }
            }
            case "get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions",
                 "cluster-info", "auth", "events", "diff" -> e.cls(READ_ONLY);
            case "config" -> {
                if (hasAny(args, "view", "get-contexts", "current-context", "get-clusters")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note("changes the kubeconfig");
                }
            }
            case "exec", "run", "debug", "attach", "cp", "port-forward", "proxy" ->
                    e.cls(WRITE_OUTSIDE).unknown(name + " " + v + " runs commands or opens access in the cluster");
            default -> {
                e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes cluster state");
                if (v.equals("scale") && args.stream().anyMatch(a -> a.text().matches("--replicas=0"))) {
                    e.destructive(name + " scale --replicas=0 stops a workload");
                }
            }
        }
    }

    private static void docker(Emitter e, String name, List<Word> args) {
        List<Word> ops = operands(args, Classifier.set("-H", "--host", "--context", "--config", "-c", "-l", "--log-level"));
        String v = verb(ops);
        if (v == null) {
            e.unknown(name + " with a sub-command the analysis cannot see");
            return;
        }
        String second = ops.size() > 1 ? ops.get(1).text() : "";
        String joined = joined(args);
        boolean removes = switch (v) {
            case "rm", "rmi", "kill" -> true;
            case "system", "volume", "image", "container", "network", "builder", "buildx", "plugin", "secret",
                 "config", "context", "node", "service", "stack" ->
                    second.equals("prune") || second.equals("rm") || second.equals("remove")
                            || second.equals("rmi");
            case "compose" -> joined.matches("(?s).*\\bdown\\b.*(-v|--volumes|--rmi).*") || second.equals("rm");
            default -> false;
        };
        if (removes) {
            e.cls(WRITE_OUTSIDE).destructive(name + " " + v + " " + second + " deletes containers, images or volumes");
            return;
        }
        switch (v) {
            case "ps", "images", "logs", "inspect", "version", "info", "stats", "top", "history", "port", "diff",
                 "events", "search" -> e.cls(READ_ONLY);
            case "run", "exec", "create", "start" -> {
                e.cls(WRITE_OUTSIDE).unknown(name + " " + v + " runs a program in a container");
                if (joined.contains("--privileged") || joined.matches("(?s).*(-v|--volume)[ =]/:.*")
                        || joined.contains("--pid=host") || joined.contains("--net=host")
                        || joined.contains("--network=host") || joined.contains("docker.sock")) {
                    e.cls(PRIVILEGED).note("the container gets host privileges or the host file system");
                }
            }
            case "pull", "push", "login", "build" -> e.network(name + " " + v + " uses a registry").cls(WRITE_OUTSIDE);
            default -> {
                if (second.equals("ls") || second.equals("list") || second.equals("inspect")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes container state");
                }
            }
        }
    }

    private static void cloud(Emitter e, String name, List<Word> args) {
        e.network(name + " calls a cloud API");
        boolean destroys = false;
        boolean reads = false;
        for (Word a : args) {
            String t = a.text().toLowerCase(Locale.ROOT);
            if (t.equals("delete") || t.startsWith("delete-") || t.equals("rm") || t.equals("rb")
                    || t.startsWith("terminate") || t.equals("destroy") || t.equals("remove") || t.equals("purge")
                    || t.startsWith("deregister")) {
                destroys = true;
            }
            if (t.equals("list") || t.startsWith("describe") || t.startsWith("get") || t.equals("ls")
                    || t.startsWith("list-") || t.equals("show")) {
                reads = true;
            }
        }
        if (destroys) {
            e.cls(WRITE_OUTSIDE).destructive(name + " deletes cloud resources");
        } else if (reads) {
            e.cls(READ_ONLY);
        } else {
            e.cls(WRITE_OUTSIDE).note(name + " may change cloud resources");
        }
    }

    private static void buildTool(Emitter e, String name, List<Word> args) {
        String v = verb(args);
        boolean pkg = Classifier.set("npm", "yarn", "pnpm", "pip", "pip3", "gem", "cargo", "brew", "composer", "poetry",
                "uv", "pipenv", "bun", "deno", "go", "bundle", "mix").contains(name);
        if (pkg && v != null && REMOVE_VERBS.contains(v) && !v.equals("clean") && !v.equals("r")) {
            e.destructive(name + " " + v + " removes packages");
            e.cls(name.equals("pip") || name.equals("pip3") || name.equals("gem") || name.equals("brew")
                    || hasAny(args, "-g", "--global") ? WRITE_OUTSIDE : WRITE_WORKSPACE);
            return;
        }
        if ((name.equals("terraform") || name.equals("tofu"))) {
            e.network(name + " talks to providers");
            if ("destroy".equals(v) || hasAny(args, "-destroy") || ("state".equals(v) && hasAny(args, "rm"))
                    || ("workspace".equals(v) && hasAny(args, "delete"))) {
                e.cls(WRITE_OUTSIDE).destructive(name + " destroys infrastructure");
            } else if (v != null && Classifier.set("plan", "validate", "fmt", "show", "output", "version", "providers",
                    "graph", "console").contains(v)) {
                e.cls(READ_ONLY);
            } else {
                e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes infrastructure");
            }
            return;
        }
        if (pkg && v != null && Classifier.set("install", "i", "add", "ci", "update", "upgrade", "get", "fetch", "sync")
                .contains(v)) {
            e.network(name + " " + v + " downloads packages");
            e.cls(name.equals("pip") || name.equals("pip3") || name.equals("gem") || name.equals("brew")
                    || hasAny(args, "-g", "--global", "--user") || (name.equals("cargo") && v.equals("install"))
                    || (name.equals("go") && v.equals("install")) ? WRITE_OUTSIDE : WRITE_WORKSPACE);
            e.unknown(name + " " + v + " may run package install scripts");
            return;
        }
        if (name.equals("npx") || (name.equals("pnpm") && "dlx".equals(v)) || (name.equals("yarn") && "dlx".equals(v))) {
            e.network(name + " may download and run a package");
        }
        if (name.equals("pip") || name.equals("pip3")) {
            if (v != null && Classifier.set("list", "show", "freeze", "check", "search", "index").contains(v)) {
                e.cls(READ_ONLY);
                return;
            }
        }
        if ((name.equals("npm") || name.equals("pnpm") || name.equals("yarn")) && v != null
                && Classifier.set("ls", "list", "view", "info", "outdated", "why", "explain", "audit").contains(v)) {
            e.cls(READ_ONLY);
            return;
        }
        if (name.equals("go") && v != null && Classifier.set("version", "env", "list", "doc", "vet", "fmt").contains(v)) {
            e.cls(v.equals("fmt") ? WRITE_WORKSPACE : READ_ONLY);
            return;
        }
        if (pkg && "publish".equals(v)) {
            e.network(name + " publish uploads a package").cls(WRITE_OUTSIDE);
            return;
        }
        e.unknown(name + " runs project code (build scripts, tests)");
        e.write(Word.lit("."), false);
    }
}
