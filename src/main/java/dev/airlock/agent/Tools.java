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
import dev.airlock.policy.MatchedRule;
import dev.airlock.policy.Verdict;
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
    static final int MAX_EDIT_BYTES = 4 * 1024 * 1024;
    /** Said after every listing and search, whatever was withheld: a count would tell what exists. */
    static final String WITHHELD = "[never-readable and git-ignored entries are withheld by policy and never shown]";

    private static final List<Path> IN_PROCESS_NEVER = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
    private static final MatchedRule IN_PROCESS_RULE = new MatchedRule("tools.in_process_paths", Verdict.DENY,
            "file tools never use /proc, /sys or /dev", "builtin");
    private static final MatchedRule NO_READ_TOOL = new MatchedRule("tools.edit_needs_read", Verdict.DENY,
            "showing or testing a file's content needs read_file", "builtin");
    private static final MatchedRule READ_ASKS = new MatchedRule("agent.permissions.read_file", Verdict.ASK, null, "agent");
    private static final MatchedRule TURN_LIMIT = new MatchedRule("rate_limit.turn", Verdict.DENY,
            "max_tool_calls_per_turn", "agent");

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
            return invalid(agent, tool, "there is no tool '" + tool + "' for this agent; available: "
                    + String.join(", ", specs(agent).stream().map(ToolSpec::name).toList()));
        }
        JsonNode args;
        try {
            args = JSON.readTree(call.argumentsJson().isBlank() ? "{}" : call.argumentsJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return invalid(agent, tool, "the arguments are not JSON: " + e.getOriginalMessage());
        }
        if (args == null || !args.isObject()) {
            return invalid(agent, tool, "the arguments must be a JSON object");
        }
        try {
            return switch (tool) {
                case READ_FILE -> readFile(agent, args);
                case LIST_FILES -> listFiles(agent, args);
                case SEARCH_FILES -> searchFiles(agent, args);
                case WRITE_FILE -> writeFile(agent, args);
                case EDIT_FILE -> editFile(agent, args);
                case SHELL -> shell(agent, text(args, "command"));
                case HTTP_GET -> httpGet(agent, text(args, "url"));
                default -> throw new IllegalStateException(tool);
            };
        } catch (BadArguments e) {
            return invalid(agent, tool, e.getMessage());
        }
    }

    /**
     * A call the model got wrong: refused through the gate, so that it is an audit row like every
     * other refusal (rule {@code tools.invalid_arguments}); the model is told what to fix.
     */
    private Result invalid(Agent agent, String tool, String message) {
        String name = tool.length() > 64 ? tool.substring(0, 64) + "…" : tool;
        Decision d = new Decision.Deny(List.of("invalid arguments: " + message + " (rule tools.invalid_arguments)"),
                List.of(new MatchedRule("tools.invalid_arguments", Verdict.DENY, null, "builtin")), List.of());
        gate.perform(new ActionRequest("agent:" + agent.name(), agent.name(), name, "tool:" + name, name + " (invalid arguments)",
                Map.of(), d, mode, limits(agent, ALL.contains(tool) ? tool : READ_FILE)), () -> "");
        return new Result(tool, "invalid", message);
    }

    private Result readFile(Agent agent, JsonNode args) {
        Path path = path(args, "path", null);
        Decision d = readDecision(agent, path);
        String target = "file:" + shown(path);
        String display = READ_FILE + " " + shown(path);
        Map<String, Object> details = Map.of("path", shown(path));
        if (d instanceof Decision.Deny) {
            // Decided before anything is touched: the answer is the same whether the file exists, what
            // it holds, and whatever the other arguments say.
            return refuse(agent, READ_FILE, target, display, details, d);
        }
        long offset = wholeNumber(args, "offset", 1);
        long limit = wholeNumber(args, "limit", Long.MAX_VALUE);
        if (offset < 1 || limit < 0) {
            throw new BadArguments("offset must be at least 1 and limit at least 0");
        }
        return act(agent, READ_FILE, target, display, details, d, () -> {
            Content c = readDecided(path, MAX_READ_BYTES);
            boolean cut = c.bytes().length > MAX_READ_BYTES;
            String text = new String(c.bytes(), 0, Math.min(c.bytes().length, MAX_READ_BYTES), StandardCharsets.UTF_8);
            if (text.indexOf('\0') >= 0) {
                return shown(path) + " is a binary file (" + c.size() + " bytes); not shown";
            }
            if (offset > 1 || limit != Long.MAX_VALUE) {
                text = String.join("\n", text.lines().skip(offset - 1).limit(limit).toList());
            }
            return text + (cut ? "\n[cut at " + MAX_READ_BYTES + " bytes of " + c.size() + "]" : "");
        });
    }

    private Result listFiles(Agent agent, JsonNode args) {
        Path dir = path(args, "path", ".");
        boolean recursive = args.path("recursive").asBoolean(false);
        Decision d = readDecision(agent, dir);
        String target = "file:" + shown(dir);
        String display = LIST_FILES + " " + shown(dir) + (recursive ? " (recursive)" : "");
        Map<String, Object> details = Map.of("path", shown(dir), "recursive", recursive);
        if (d instanceof Decision.Deny) {
            return refuse(agent, LIST_FILES, target, display, details, d);
        }
        return act(agent, LIST_FILES, target, display, details, d, () -> {
            requireUnchanged(dir);
            List<String> lines = new ArrayList<>();
            Files.walkFileTree(dir, Set.of(), recursive ? 32 : 1, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) {
                    if (p.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!readable(agent, p)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    lines.add(shown(p) + "/");
                    return p.getFileName() != null && p.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                            : lines.size() >= MAX_LIST_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                    // decided on the name first; a withheld entry's size or kind is never looked at
                    if (readable(agent, p)) {
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
            return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n") + WITHHELD
                    + (lines.size() >= MAX_LIST_ENTRIES ? "\n[stopped at " + MAX_LIST_ENTRIES + " entries]" : "");
        });
    }

    private Result searchFiles(Agent agent, JsonNode args) {
        Path dir = path(args, "path", ".");
        Decision d = readDecision(agent, dir);
        String target = "file:" + shown(dir);
        Map<String, Object> details = Map.of("path", shown(dir));
        if (d instanceof Decision.Deny) {
            return refuse(agent, SEARCH_FILES, target, SEARCH_FILES + " in " + shown(dir), details, d);
        }
        String pattern = text(args, "pattern");
        com.google.re2j.Pattern re;
        try {
            re = com.google.re2j.Pattern.compile(pattern);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new BadArguments("pattern is not a valid regular expression: " + e.getDescription());
        }
        return act(agent, SEARCH_FILES, target, SEARCH_FILES + " /" + pattern + "/ in " + shown(dir), details, d, () -> {
            requireUnchanged(dir);
            List<String> matches = new ArrayList<>();
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) {
                    if (p.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (p.getFileName() != null && p.getFileName().toString().equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return readable(agent, p) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                    // the policy first: a withheld file's size, kind and content are never looked at
                    if (!readable(agent, p) || !attrs.isRegularFile() || attrs.size() > MAX_SEARCH_FILE_BYTES) {
                        return FileVisitResult.CONTINUE;
                    }
                    byte[] bytes;
                    try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                        bytes = in.readNBytes((int) MAX_SEARCH_FILE_BYTES);
                    } catch (IOException e) {
                        return FileVisitResult.CONTINUE; // gone or swapped for a link since the walk saw it
                    }
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
            return (matches.isEmpty() ? "no matches" : String.join("\n", matches)) + "\n" + WITHHELD
                    + (matches.size() >= MAX_MATCHES ? "\n[stopped at " + MAX_MATCHES + " matches]" : "");
        });
    }

    /**
     * write_file: the write is decided first; the approver and the model see the old content only if
     * the agent could read it without asking, otherwise only the new content — the same text whether
     * or not a file is there.
     */
    private Result writeFile(Agent agent, JsonNode args) {
        Path path = path(args, "path", null);
        Decision d = writeDecision(agent, path);
        String target = "file:" + shown(path);
        if (d instanceof Decision.Deny) {
            return refuse(agent, WRITE_FILE, target, WRITE_FILE + " " + shown(path), Map.of("path", shown(path)), d);
        }
        String content = text(args, "content");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", shown(path));
        details.put("bytes", content.getBytes(StandardCharsets.UTF_8).length);
        if (!(agentReadDecision(agent, path) instanceof Decision.Allow)) {
            String diff = Diffs.withoutOld(shown(path), content);
            return act(agent, WRITE_FILE, target, WRITE_FILE + " " + shown(path) + "\n" + diff, details, d, () -> {
                replace(path, content);
                return "wrote " + shown(path) + " (" + content.getBytes(StandardCharsets.UTF_8).length + " bytes)";
            });
        }
        String before;
        try {
            before = currentText(path);
        } catch (NotText e) {
            // readable, but no diff to show (binary, very large): replaced whole, as the approver is told
            String diff = "(replaces " + shown(path) + ", " + e.getMessage() + "; the old content is not shown)\n"
                    + Diffs.withoutOld(shown(path), content);
            return act(agent, WRITE_FILE, target, WRITE_FILE + " " + shown(path) + "\n" + diff, details, d, () -> {
                replace(path, content);
                return "wrote " + shown(path) + " (" + content.getBytes(StandardCharsets.UTF_8).length + " bytes)";
            });
        } catch (IOException e) {
            return new Result(WRITE_FILE, "invalid", e.getMessage());
        }
        String diff = Diffs.unified(shown(path), before, content);
        return act(agent, WRITE_FILE, target, WRITE_FILE + " " + shown(path) + "\n" + diff, details, d, () -> {
            requireSameText(path, before);
            replace(path, content);
            return "wrote " + shown(path) + "\n" + diff;
        });
    }

    /**
     * edit_file: an edit tells whether old_text occurs, so it needs the read decision as well as the
     * write decision, both taken before the file is opened.
     */
    private Result editFile(Agent agent, JsonNode args) {
        Path path = path(args, "path", null);
        Decision read = agentReadDecision(agent, path);
        Decision d = stricter(read, writeDecision(agent, path));
        String target = "file:" + shown(path);
        if (d instanceof Decision.Deny) {
            return refuse(agent, EDIT_FILE, target, EDIT_FILE + " " + shown(path), Map.of("path", shown(path)), d);
        }
        String oldText = text(args, "old_text");
        String newText = text(args, "new_text");
        if (oldText.isEmpty()) {
            throw new BadArguments("old_text must not be empty");
        }
        if (!(read instanceof Decision.Allow)) {
            // Reading needs the approval too: nothing is opened until it is given.
            String display = EDIT_FILE + " " + shown(path) + "\n" + Diffs.replacement(oldText, newText);
            return act(agent, EDIT_FILE, target, display, Map.of("path", shown(path)), d, () -> {
                String before = currentText(path);
                String after = applyEdit(before, oldText, newText, path);
                replace(path, after);
                return "edited " + shown(path) + "\n" + Diffs.unified(shown(path), before, after);
            });
        }
        String before;
        String after;
        try {
            before = currentText(path);
            after = applyEdit(before, oldText, newText, path);
        } catch (NotText e) {
            return new Result(EDIT_FILE, "invalid", shown(path) + " is " + e.getMessage() + "; edit_file edits text only");
        } catch (IOException e) {
            return new Result(EDIT_FILE, "invalid", e.getMessage());
        }
        String diff = Diffs.unified(shown(path), before, after);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", shown(path));
        details.put("bytes", after.getBytes(StandardCharsets.UTF_8).length);
        return act(agent, EDIT_FILE, target, EDIT_FILE + " " + shown(path) + "\n" + diff, details, d, () -> {
            requireSameText(path, before);
            replace(path, after);
            return "edited " + shown(path) + "\n" + diff;
        });
    }

    private String applyEdit(String before, String oldText, String newText, Path path) throws IOException {
        int first = before.indexOf(oldText);
        if (first < 0) {
            throw new IOException("old_text does not occur in " + shown(path));
        }
        if (before.indexOf(oldText, first + 1) >= 0) {
            throw new IOException("old_text occurs more than once in " + shown(path) + "; include more context");
        }
        return before.substring(0, first) + newText + before.substring(first + oldText.length());
    }

    /** The text of the decided file, {@code ""} when there is none; a folder or a binary file is refused. */
    private String currentText(Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
        if (a.isDirectory()) {
            throw new IOException(shown(path) + " is a folder");
        }
        Content c = readDecided(path, MAX_EDIT_BYTES);
        if (c.bytes().length > MAX_EDIT_BYTES) {
            throw new NotText("a file larger than " + MAX_EDIT_BYTES + " bytes");
        }
        String text = new String(c.bytes(), StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw new NotText("a binary file of " + c.size() + " bytes");
        }
        return text;
    }

    /** A readable file with no text to diff or edit: binary, or too large. */
    private static final class NotText extends IOException {
        private static final long serialVersionUID = 1L;

        NotText(String what) {
            super(what);
        }
    }

    /** The file still holds what the approver saw; otherwise the approved diff is not what would happen. */
    private void requireSameText(Path path, String before) throws IOException {
        if (!currentText(path).equals(before)) {
            throw new IOException(shown(path) + " changed after the diff was made; nothing was written, try again");
        }
    }

    /** Replaces the decided path atomically: a temporary file beside it, renamed over it (a link there is replaced, not followed). */
    private void replace(Path path, String content) throws IOException {
        Path parent = path.getParent();
        Files.createDirectories(parent);
        requireUnchanged(parent);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(shown(path) + " is a folder");
        }
        Path tmp = Files.createTempFile(parent, ".airlock-", ".tmp");
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file's first bytes and its size, both of the file that was opened. */
    private record Content(byte[] bytes, long size) {
    }

    /**
     * Reads at most {@code max + 1} bytes of the regular file the policy decided on. The path is
     * already resolved; the last step is opened with {@code O_NOFOLLOW}, and a path that no longer
     * resolves to itself (a folder on the way swapped for a link) is refused after the read.
     */
    private Content readDecided(Path path, int max) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(shown(path) + " does not exist", e);
        }
        if (a.isDirectory()) {
            throw new IOException(shown(path) + " is a folder; use list_files");
        }
        if (!a.isRegularFile()) {
            throw new IOException(shown(path) + " is not a regular file");
        }
        byte[] bytes;
        long size;
        try (var ch = Files.newByteChannel(path, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            size = ch.size();
            bytes = java.nio.channels.Channels.newInputStream(ch).readNBytes(max + 1);
        }
        requireUnchanged(path);
        return new Content(bytes, size);
    }

    /** The decided path still resolves to itself: nothing on the way was replaced by a link since. */
    private void requireUnchanged(Path decided) throws IOException {
        Path real;
        try {
            real = decided.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(shown(decided) + " does not exist", e);
        }
        if (!real.equals(decided)) {
            throw new IOException("the path changed while it was used (a link appeared); nothing was done, try again");
        }
    }

    /**
     * The read decision for a file tool's target. File tools run inside the Airlock process, so they
     * never go under /proc, /sys or /dev (there {@code /proc/self} is Airlock itself: its environment,
     * memory and open files); everything else is the policy's {@code checkRead}.
     */
    private Decision readDecision(Agent agent, Path path) {
        Decision d = null;
        for (Path p : aliases(path)) {
            Decision own = inProcess(p);
            Decision one = own != null ? own : engine.checkRead(p, agent.name(), context);
            d = d == null ? one : stricter(d, one);
            if (own == null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS) && context.inWorkspace(p)) {
                d = stricter(d, asFolder(agent, p));
            }
        }
        return d;
    }

    /**
     * The read decision for {@code missing} as if it were a folder. An ignore rule such as
     * {@code secrets/} matches only folders, so the same name would be denied while the folder exists
     * and allowed (then "does not exist") once it is gone — an answer that tells whether it exists.
     * Decided through a name inside it, and said in the folder's own words.
     */
    private Decision asFolder(Agent agent, Path missing) {
        Path inside = missing.resolve(".airlock-folder-check");
        Decision d = engine.checkRead(inside, agent.name(), context);
        List<String> reasons = d.reasons().stream().map(r -> r.replace(inside.toString(), missing.toString())).toList();
        return Decision.of(d.verdict(), reasons, d.rules(), List.of());
    }

    private Decision writeDecision(Agent agent, Path path) {
        Decision d = null;
        for (Path p : aliases(path)) {
            Decision own = inProcess(p);
            Decision one = own != null ? own : engine.checkWrite(p, agent.name(), context);
            d = d == null ? one : stricter(d, one);
        }
        return d;
    }

    /**
     * {@code resolved} and what it would become if its dangling links appeared. A resolved path has
     * every existing step resolved, so a link left in it points nowhere (yet): {@code x -> .env}
     * without a {@code .env}. Deciding on the link's own name alone would allow a read that fails
     * with "no such file", where the same name with {@code .env} present is denied — an answer that
     * tells whether {@code .env} exists. So the link's target is decided on too, the stricter wins.
     */
    private List<Path> aliases(Path resolved) {
        List<Path> out = new ArrayList<>(List.of(resolved));
        Path current = resolved;
        for (int hop = 0; hop < 16; hop++) {
            Path next = null;
            Path root = current.getRoot();
            for (int i = 1; i <= current.getNameCount() && next == null; i++) {
                Path prefix = root == null ? current.subpath(0, i) : root.resolve(current.subpath(0, i));
                if (Files.isSymbolicLink(prefix)) {
                    try {
                        Path target = prefix.getParent().resolve(Files.readSymbolicLink(prefix));
                        next = context.resolve(i == current.getNameCount() ? target : target.resolve(current.subpath(i, current.getNameCount())));
                    } catch (IOException | RuntimeException e) {
                        return out;
                    }
                }
            }
            if (next == null || out.contains(next)) {
                return out;
            }
            out.add(next);
            current = next;
        }
        return out;
    }

    /**
     * Whether this agent may read {@code path} the way read_file would: the policy, and the agent's
     * own permission for read_file. What a write or an edit reveals of the old content needs this.
     */
    private Decision agentReadDecision(Agent agent, Path path) {
        Decision policy = readDecision(agent, path);
        if (!agent.tools().contains(READ_FILE) || agent.permission(READ_FILE) == AgentDefinition.Permission.DENY) {
            return stricter(policy, new Decision.Deny(List.of("agent '" + agent.name()
                    + "' may not read files (it has no read_file), and this shows or tests a file's content"),
                    List.of(NO_READ_TOOL), List.of()));
        }
        if (agent.permission(READ_FILE) == AgentDefinition.Permission.ASK) {
            return stricter(policy, new Decision.Ask(List.of("this reads the file, and agent '" + agent.name()
                    + "' has permission ask for read_file"), List.of(READ_ASKS), List.of()));
        }
        return policy;
    }

    private @Nullable Decision inProcess(Path path) {
        for (Path root : IN_PROCESS_NEVER) {
            if (path.startsWith(root)) {
                // the same words for every path below: the answer does not depend on what exists there
                return new Decision.Deny(List.of("file tools run inside the Airlock process, where /proc, /sys and /dev"
                        + " show Airlock itself (its environment, memory and open files), so they never use them;"
                        + " the shell tool runs in the sandbox"),
                        List.of(IN_PROCESS_RULE), List.of());
            }
        }
        return null;
    }

    /** The stricter of two decisions, with the reasons and rules of the part that decided. */
    static Decision stricter(Decision a, Decision b) {
        Verdict worst = a.verdict().max(b.verdict());
        Set<String> reasons = new LinkedHashSet<>();
        Set<MatchedRule> rules = new LinkedHashSet<>();
        for (Decision d : List.of(a, b)) {
            if (d.verdict() == worst) {
                reasons.addAll(d.reasons());
            }
            rules.addAll(d.rules());
        }
        return Decision.of(worst, List.copyOf(reasons), List.copyOf(rules), List.of());
    }

    /** A refusal the policy decided: recorded by the gate; nothing is touched. */
    private Result refuse(Agent agent, String tool, String target, String display, Map<String, Object> details, Decision deny) {
        return act(agent, tool, target, display, details, deny, () -> {
            throw new IllegalStateException("a denied action never runs");
        });
    }

    /**
     * A call past the agent's per-turn limit: refused through the gate (an audit row), and the model
     * is told why. Nothing the call names is looked at.
     */
    public Result refuseOverTurnLimit(Agent agent, ToolCall call, int limit) {
        String tool = ALL.contains(call.name()) ? call.name() : "unknown";
        Decision deny = new Decision.Deny(List.of("agent '" + agent.name() + "' may make at most " + limit
                + " tool calls in one turn (max_tool_calls_per_turn); answer the user or stop"),
                List.of(TURN_LIMIT), List.of());
        return refuse(agent, tool, "tool:" + tool, tool + " (over the per-turn limit)", Map.of("limit", limit), deny);
    }

    private static long wholeNumber(JsonNode args, String key, long fallback) {
        JsonNode n = args.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToExactIntegral() && !n.isIntegralNumber()) {
            throw new BadArguments("'" + key + "' must be a whole number");
        }
        return n.asLong();
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
        Decision d = EgressGate.modelDecision(engine, uri, agent.name());
        String target = "url:" + uri.getScheme() + "://" + uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return act(agent, HTTP_GET, target, HTTP_GET + " " + target.substring(4), Map.of("host", String.valueOf(uri.getHost())), d, () -> {
            HttpRequest req = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30)).build();
            HttpResponse<java.io.InputStream> resp = egress.sendForModel("agent:" + agent.name(), agent.name(), req,
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

    /**
     * What the agent carries into the gate for {@code tool}: read-only, and asking always — with the
     * true reason (security mode, or the agent's permission ask for this tool).
     */
    private static ExecRequest.Limits limits(Agent agent, String tool) {
        List<String> why = new ArrayList<>();
        if (agent.securityMode()) {
            why.add("security mode is on for agent '" + agent.name() + "', so every tool call is asked");
        }
        if (agent.permission(tool) == AgentDefinition.Permission.ASK) {
            why.add("agent '" + agent.name() + "' has permission ask for " + tool);
        }
        return new ExecRequest.Limits(agent.readOnly(), !why.isEmpty(), String.join("; ", why));
    }

    /** Whether the policy lets {@code agent} read {@code p} without asking; listings and searches skip the rest. */
    private boolean readable(Agent agent, Path p) {
        return readDecision(agent, context.resolve(p)) instanceof Decision.Allow;
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
        Path lexical = context.cwd().resolve(p).normalize();
        for (Path root : IN_PROCESS_NEVER) {
            if (lexical.startsWith(root)) {
                // /proc/self/cwd/…, /proc/self/root/…: named through Airlock's own /proc, whatever it
                // leads to. Kept as written, and so denied before anything is resolved or touched.
                return lexical;
            }
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
