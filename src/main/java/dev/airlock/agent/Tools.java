package dev.airlock.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.gate.ActionOutcome;
import dev.airlock.gate.ActionRequest;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.EgressGate;
import dev.airlock.gate.ExecOutcome;
import dev.airlock.gate.ExecRequest;
import dev.airlock.gate.Gate;
import dev.airlock.llm.ToolCall;
import dev.airlock.llm.ToolSpec;
import dev.airlock.policy.Decision;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tools an agent can call. Each call goes through the {@link Gate}: the policy's decision for
 * the exact file, command or URL, tightened by the agent's permissions and limits; the approval;
 * the work; redaction of what comes back; the audit rows. Nothing here touches a file, a process or
 * the network except inside a gate action.
 */
public final class Tools {
    public static final String READ_FILE = "read_file";
    public static final String LIST_FILES = "list_files";
    public static final String SEARCH_FILES = "search_files";
    public static final String WRITE_FILE = "write_file";
    public static final String EDIT_FILE = "edit_file";
    public static final String SHELL = "shell";
    public static final String HTTP_GET = "http_get";

    /** Every tool, in the order they are offered. */
    public static final Set<String> ALL = orderedSet(READ_FILE, LIST_FILES, SEARCH_FILES, WRITE_FILE, EDIT_FILE, SHELL, HTTP_GET);
    /** The tools that change files; a read-only agent never has them. */
    public static final Set<String> WRITING = orderedSet(WRITE_FILE, EDIT_FILE);

    static final int MAX_READ_BYTES = 256 * 1024;
    static final int MAX_RESULT_CHARS = 64 * 1024;
    static final int MAX_LIST_ENTRIES = 2000;
    static final int MAX_MATCHES = 200;
    static final long MAX_SEARCH_FILE_BYTES = 1024 * 1024;
    static final int MAX_FETCH_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Gate gate;
    private final PolicyEngine engine;
    private final @Nullable EgressGate egress;
    private final PathContext context;
    private final ApprovalMode mode;

    /** The outcome of one call, as the model will see it (before containment). */
    public record Result(String tool, String status, String text) {
        /** {@code done}, {@code denied}, {@code refused}, {@code failed}, {@code invalid}. */
        public boolean ok() {
            return status.equals("done");
        }
    }

    public Tools(Gate gate, PolicyEngine engine, @Nullable EgressGate egress, PathContext context, ApprovalMode mode) {
        this.gate = gate;
        this.engine = engine;
        this.egress = egress;
        this.context = context;
        this.mode = mode;
    }

    /** The specs offered to {@code agent}'s model: its tools minus those it is denied. */
    public static List<ToolSpec> specs(Agent agent) {
        List<ToolSpec> specs = new ArrayList<>();
        for (String t : ALL) {
            if (agent.tools().contains(t) && agent.permission(t) != AgentDefinition.Permission.DENY) {
                specs.add(spec(t, agent.readOnly()));
            }
        }
        return specs;
    }

    private static ToolSpec spec(String tool, boolean readOnly) {
        return switch (tool) {
            case READ_FILE -> new ToolSpec(tool, "Read a text file in the workspace. Returns its content (at most 256 KiB).",
                    schema(Map.of("path", str("path relative to the workspace"),
                            "offset", num("first line to return, from 1"), "limit", num("how many lines")), "path"));
            case LIST_FILES -> new ToolSpec(tool, "List the files in a folder of the workspace.",
                    schema(Map.of("path", str("folder relative to the workspace (default .)"),
                            "recursive", Map.of("type", "boolean", "description", "include sub-folders"))));
            case SEARCH_FILES -> new ToolSpec(tool, "Search the workspace's text files for a regular expression (RE2 syntax).",
                    schema(Map.of("pattern", str("regular expression"), "path", str("folder to search (default .)")), "pattern"));
            case WRITE_FILE -> new ToolSpec(tool, "Create or replace a file in the workspace with the given content.",
                    schema(Map.of("path", str("path relative to the workspace"), "content", str("the whole new content")), "path", "content"));
            case EDIT_FILE -> new ToolSpec(tool, "Replace one exact, unique piece of text in a file of the workspace.",
                    schema(Map.of("path", str("path relative to the workspace"), "old_text", str("text that occurs exactly once"),
                            "new_text", str("its replacement")), "path", "old_text", "new_text"));
            case SHELL -> new ToolSpec(tool, (readOnly ? "Run a read-only shell command" : "Run a shell command")
                    + " in the workspace, in a sandbox. Returns exit status and output.",
                    schema(Map.of("command", str("the command line (bash)")), "command"));
            case HTTP_GET -> new ToolSpec(tool, "Fetch a URL with GET (only domains the user allows). Returns status and text.",
                    schema(Map.of("url", str("http or https URL")), "url"));
            default -> throw new IllegalArgumentException(tool);
        };
    }

    /** Runs {@code call} for {@code agent} through the gate. Never throws for anything the model wrote. */
    public Result call(Agent agent, ToolCall call) {
        String tool = call.name();
        if (!ALL.contains(tool) || !agent.tools().contains(tool) || agent.permission(tool) == AgentDefinition.Permission.DENY) {
            return new Result(tool, "invalid", "there is no tool '" + tool + "' for this agent; available: "
                    + String.join(", ", specs(agent).stream().map(ToolSpec::name).toList()));
        }
        JsonNode args;
        try {
            args = JSON.readTree(call.argumentsJson().isBlank() ? "{}" : call.argumentsJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Result(tool, "invalid", "the arguments are not JSON: " + e.getOriginalMessage());
        }
        if (args == null || !args.isObject()) {
            return new Result(tool, "invalid", "the arguments must be a JSON object");
        }
        try {
            return switch (tool) {
                case READ_FILE -> readFile(agent, args);
                case LIST_FILES -> listFiles(agent, args);
                case SEARCH_FILES -> searchFiles(agent, args);
                case WRITE_FILE -> writeFile(agent, path(args, "path", null), text(args, "content"), null);
                case EDIT_FILE -> editFile(agent, args);
                case SHELL -> shell(agent, text(args, "command"));
                case HTTP_GET -> httpGet(agent, text(args, "url"));
                default -> throw new IllegalStateException(tool);
            };
        } catch (BadArguments e) {
            return new Result(tool, "invalid", e.getMessage());
        }
    }

    private Result readFile(Agent agent, JsonNode args) {
        Path path = path(args, "path", null);
        long offset = args.path("offset").asLong(1);
        long limit = args.path("limit").asLong(Long.MAX_VALUE);
        Decision d = engine.checkRead(path, agent.name(), context);
        return act(agent, READ_FILE, "file:" + shown(path), READ_FILE + " " + shown(path), Map.of("path", shown(path)), d, () -> {
            Path real = path.toRealPath();
            if (Files.isDirectory(real)) {
                throw new IOException(shown(path) + " is a folder; use list_files");
            }
            byte[] bytes;
            try (var in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_READ_BYTES + 1);
            }
            boolean cut = bytes.length > MAX_READ_BYTES;
            String text = new String(bytes, 0, Math.min(bytes.length, MAX_READ_BYTES), StandardCharsets.UTF_8);
            if (text.indexOf('\0') >= 0) {
                return shown(path) + " is a binary file (" + Files.size(real) + " bytes); not shown";
            }
            if (offset > 1 || limit != Long.MAX_VALUE) {
                text = String.join("\n", text.lines().skip(Math.max(0, offset - 1)).limit(Math.max(0, limit)).toList());
            }
            return text + (cut ? "\n[cut at " + MAX_READ_BYTES + " bytes of " + Files.size(real) + "]" : "");
        });
    }

    private Result listFiles(Agent agent, JsonNode args) {
        Path dir = path(args, "path", ".");
        boolean recursive = args.path("recursive").asBoolean(false);
        Decision d = engine.checkRead(dir, agent.name(), context);
        return act(agent, LIST_FILES, "file:" + shown(dir), LIST_FILES + " " + shown(dir) + (recursive ? " (recursive)" : ""),
                Map.of("path", shown(dir), "recursive", recursive), d, () -> {
            List<String> lines = new ArrayList<>();
            int[] withheld = {0};
            Files.walkFileTree(dir.toRealPath(), Set.of(), recursive ? 32 : 1, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) {
                    if (!p.equals(dirReal(dir)) && !readable(agent, p)) {
                        withheld[0]++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!p.equals(dirReal(dir))) {
                        lines.add(shown(p) + "/");
                    }
                    return p.getFileName() != null && p.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                            : lines.size() >= MAX_LIST_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                    if (!readable(agent, p)) {
                        withheld[0]++;
                    } else {
                        lines.add(shown(p) + (attrs.isDirectory() ? "/" : "  (" + attrs.size() + " bytes)"));
                    }
                    return lines.size() >= MAX_LIST_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            java.util.Collections.sort(lines);
            return String.join("\n", lines) + (withheld[0] > 0 ? "\n[" + withheld[0] + " entries withheld by policy]" : "")
                    + (lines.size() >= MAX_LIST_ENTRIES ? "\n[stopped at " + MAX_LIST_ENTRIES + " entries]" : "");
        });
    }

    private Result searchFiles(Agent agent, JsonNode args) {
        String pattern = text(args, "pattern");
        com.google.re2j.Pattern re;
        try {
            re = com.google.re2j.Pattern.compile(pattern);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new BadArguments("pattern is not a valid regular expression: " + e.getDescription());
        }
        Path dir = path(args, "path", ".");
        Decision d = engine.checkRead(dir, agent.name(), context);
        return act(agent, SEARCH_FILES, "file:" + shown(dir), SEARCH_FILES + " /" + pattern + "/ in " + shown(dir),
                Map.of("path", shown(dir)), d, () -> {
            List<String> matches = new ArrayList<>();
            int[] withheld = {0};
            Files.walkFileTree(dir.toRealPath(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) {
                    if (p.getFileName() != null && p.getFileName().toString().equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!p.equals(dirReal(dir)) && !readable(agent, p)) {
                        withheld[0]++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isRegularFile() || attrs.size() > MAX_SEARCH_FILE_BYTES) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!readable(agent, p)) {
                        withheld[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                    byte[] bytes = Files.readAllBytes(p);
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    if (text.indexOf('\0') >= 0) {
                        return FileVisitResult.CONTINUE;
                    }
                    int n = 0;
                    for (String line : (Iterable<String>) text.lines()::iterator) {
                        n++;
                        if (re.matcher(line).find()) {
                            matches.add(shown(p) + ":" + n + ": " + (line.length() > 300 ? line.substring(0, 300) + "…" : line));
                            if (matches.size() >= MAX_MATCHES) {
                                return FileVisitResult.TERMINATE;
                            }
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            return (matches.isEmpty() ? "no matches" : String.join("\n", matches))
                    + (withheld[0] > 0 ? "\n[" + withheld[0] + " files or folders withheld by policy]" : "")
                    + (matches.size() >= MAX_MATCHES ? "\n[stopped at " + MAX_MATCHES + " matches]" : "");
        });
    }

    private Result editFile(Agent agent, JsonNode args) {
        Path path = path(args, "path", null);
        String oldText = text(args, "old_text");
        String newText = args.path("new_text").isTextual() ? args.get("new_text").asText() : null;
        if (newText == null) {
            throw new BadArguments("missing string argument 'new_text'");
        }
        if (oldText.isEmpty()) {
            throw new BadArguments("old_text must not be empty");
        }
        return writeFile(agent, path, null, new String[] {oldText, newText});
    }

    /** write_file ({@code content}) or edit_file ({@code edit} = old, new): the approver sees the diff. */
    private Result writeFile(Agent agent, Path path, @Nullable String content, String @Nullable [] edit) {
        String tool = edit == null ? WRITE_FILE : EDIT_FILE;
        String before;
        try {
            before = Files.isRegularFile(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            // unreadable now (binary, permissions): the gate still decides; the write will say what failed
            before = "";
        }
        String after;
        if (edit != null) {
            int first = before.indexOf(edit[0]);
            if (first < 0) {
                return new Result(tool, "invalid", "old_text does not occur in " + shown(path));
            }
            if (before.indexOf(edit[0], first + 1) >= 0) {
                return new Result(tool, "invalid", "old_text occurs more than once in " + shown(path) + "; include more context");
            }
            after = before.substring(0, first) + edit[1] + before.substring(first + edit[0].length());
        } else {
            after = content;
        }
        Decision d = engine.checkWrite(path, agent.name(), context);
        String diff = Diffs.unified(shown(path), before, after);
        String finalAfter = after;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", shown(path));
        details.put("bytes", after.getBytes(StandardCharsets.UTF_8).length);
        return act(agent, tool, "file:" + shown(path), tool + " " + shown(path) + "\n" + diff, details, d, () -> {
            Path parent = path.getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".airlock-", ".tmp");
            try {
                Files.writeString(tmp, finalAfter);
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return (edit == null ? "wrote " : "edited ") + shown(path) + "\n" + diff;
        });
    }

    private Result shell(Agent agent, String line) {
        ExecRequest req = new ExecRequest("agent:" + agent.name(), agent.name(), line, context, mode, limits(agent, SHELL));
        ExecOutcome outcome = gate.exec(req, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        return switch (outcome) {
            case ExecOutcome.Refused r -> new Result(SHELL, r.code() == dev.airlock.home.ExitCode.DENIED ? "denied" : "refused", r.why());
            case ExecOutcome.Ran r -> new Result(SHELL, "done", cut("exit status " + r.exitStatus()
                    + (r.timedOut() ? " (killed at the time limit)" : "") + (r.truncated() ? " (output cut at the limit)" : "")
                    + (r.stdout().isEmpty() ? "" : "\nstdout:\n" + r.stdout()) + (r.stderr().isEmpty() ? "" : "\nstderr:\n" + r.stderr())));
        };
    }

    private Result httpGet(Agent agent, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BadArguments("url is not a valid URI");
        }
        if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new BadArguments("url must be an absolute http or https URL");
        }
        if (egress == null) {
            return new Result(HTTP_GET, "failed", "network access is not available in this session");
        }
        Decision d = engine.checkUrl(uri, agent.name());
        String target = "url:" + uri.getScheme() + "://" + uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return act(agent, HTTP_GET, target, HTTP_GET + " " + target.substring(4), Map.of("host", String.valueOf(uri.getHost())), d, () -> {
            HttpRequest req = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30)).build();
            HttpResponse<java.io.InputStream> resp = egress.send("agent:" + agent.name(), agent.name(), req,
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (var in = resp.body()) {
                body = in.readNBytes(MAX_FETCH_BYTES + 1);
            }
            boolean cut = body.length > MAX_FETCH_BYTES;
            String text = new String(body, 0, Math.min(body.length, MAX_FETCH_BYTES), StandardCharsets.UTF_8);
            return "status " + resp.statusCode() + "\n" + cut(text) + (cut ? "\n[cut at " + MAX_FETCH_BYTES + " bytes]" : "");
        });
    }

    private Result act(Agent agent, String tool, String target, String display, Map<String, Object> details, Decision decision,
            Gate.Action action) {
        ActionRequest req = new ActionRequest("agent:" + agent.name(), agent.name(), tool, target, display, details, decision, mode,
                limits(agent, tool));
        return switch (gate.perform(req, action)) {
            case ActionOutcome.Done done -> new Result(tool, "done", cut(done.text()));
            case ActionOutcome.Refused r -> new Result(tool, r.code() == dev.airlock.home.ExitCode.DENIED ? "denied" : "refused", r.why());
            case ActionOutcome.Failed f -> new Result(tool, "failed", f.error());
        };
    }

    /** What the agent carries into the gate for {@code tool}: read-only, and asking always (security mode, permission ask). */
    private static ExecRequest.Limits limits(Agent agent, String tool) {
        return new ExecRequest.Limits(agent.readOnly(),
                agent.securityMode() || agent.permission(tool) == AgentDefinition.Permission.ASK);
    }

    /** Whether the policy lets {@code agent} read {@code p} without asking; listings and searches skip the rest. */
    private boolean readable(Agent agent, Path p) {
        return engine.checkRead(p, agent.name(), context) instanceof Decision.Allow;
    }

    private Path dirReal(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir;
        }
    }

    private Path path(JsonNode args, String key, @Nullable String fallback) {
        JsonNode n = args.get(key);
        String p = n != null && n.isTextual() ? n.asText() : fallback;
        if (p == null || p.isBlank()) {
            throw new BadArguments("missing string argument '" + key + "'");
        }
        if (p.indexOf('\0') >= 0) {
            throw new BadArguments("'" + key + "' contains a NUL character");
        }
        return context.resolve(Path.of(p));
    }

    /** The path as the model and the user see it: relative to the workspace when inside it. */
    private String shown(Path p) {
        Path root = context.workspaceRoots().get(0);
        Path abs = p.toAbsolutePath().normalize();
        if (abs.startsWith(root)) {
            String rel = root.relativize(abs).toString();
            return rel.isEmpty() ? "." : rel;
        }
        return abs.toString();
    }

    private static String text(JsonNode args, String key) {
        JsonNode n = args.get(key);
        if (n == null || !n.isTextual()) {
            throw new BadArguments("missing string argument '" + key + "'");
        }
        return n.asText();
    }

    private static String cut(String s) {
        return s.length() <= MAX_RESULT_CHARS ? s : s.substring(0, MAX_RESULT_CHARS) + "\n[cut at " + MAX_RESULT_CHARS + " characters]";
    }

    private static Map<String, Object> schema(Map<String, Object> props, String... required) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        m.put("properties", new java.util.TreeMap<>(props));
        if (required.length > 0) {
            m.put("required", List.of(required));
        }
        return m;
    }

    private static Map<String, Object> str(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static Map<String, Object> num(String description) {
        return Map.of("type", "integer", "description", description);
    }

    private static Set<String> orderedSet(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    /** Arguments the model got wrong; returned to it, never thrown past {@link #call}. */
    private static final class BadArguments extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message, null, false, false);
        }
    }
}
