package dev.airlock.home;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A loaded, validated, frozen configuration file.
 *
 * <p>The file is a YAML mapping of sections. Each package that has settings owns a section type (a
 * record bound with snake_case keys); the assembler registers them in a {@link Schema}. Validation
 * is strict: an unknown key, a wrong type or a YAML syntax error is a usage error (exit 2) that names
 * the file, the line and the key. Sections that are absent take their defaults, which are what an
 * empty mapping binds to.
 */
public final class Config {
    private static final ObjectMapper STRICT = strictMapper();

    private final Optional<Path> file;
    private final Optional<String> sha256;
    private final Map<String, Object> sections;
    private final java.util.List<String> order;

    private Config(Optional<Path> file, Optional<String> sha256, Map<String, Object> sections) {
        this.file = file;
        this.sha256 = sha256;
        this.sections = sections;
        this.order = new java.util.ArrayList<>(new java.util.TreeSet<>(sections.keySet()));
    }

    /** The section types a configuration may hold, by top-level key. Frozen once built. */
    public static final class Schema {
        private final Map<String, Class<?>> sections = new LinkedHashMap<>();

        private Schema() {}

        public static Schema create() {
            return new Schema();
        }

        public Schema section(String key, Class<?> type) {
            if (sections.putIfAbsent(key, type) != null) {
                throw new IllegalArgumentException("section registered twice: " + key);
            }
            return this;
        }
    }

    /** The user config location: {@code AIRLOCK_CONFIG}, else {@code ${XDG_CONFIG_HOME:-~/.config}/airlock/config.yaml}. */
    public static Path userConfigPath(Map<String, String> env) {
        String explicit = env.get("AIRLOCK_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : AirlockHome.userHome(env).resolve(".config");
        return base.resolve("airlock").resolve("config.yaml").toAbsolutePath();
    }

    /** Loads {@code file} if it exists; a missing file means all defaults. */
    public static Config load(Path file, Schema schema) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return defaults(schema);
        } catch (IOException e) {
            throw AirlockException.usage("cannot read config " + file + ": " + e.getMessage());
        }
        String name = file.toString();
        // First pass: syntax, duplicate keys, a single document, and the line of every key, so that
        // errors found while binding can name the line of the key they are about.
        Map<String, Integer> keyLines = scan(name, bytes);
        Map<String, Object> sections = new LinkedHashMap<>();
        try (JsonParser p = STRICT.getFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first != null && first != JsonToken.VALUE_NULL) {
                if (first != JsonToken.START_OBJECT) {
                    throw error(name, p.currentTokenLocation().getLineNr(), "the top level must be a mapping of sections ("
                            + String.join(", ", schema.sections.keySet()) + ")");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Class<?> type = schema.sections.get(key);
                    if (type == null) {
                        throw error(name, keyLines.getOrDefault(key, 0), "unknown key '" + key + "'; known sections: "
                                + String.join(", ", new TreeSet<>(schema.sections.keySet())));
                    }
                    JsonToken value = p.nextToken();
                    sections.put(key, value == JsonToken.VALUE_NULL ? empty(type) : bind(p, type, key, name, keyLines));
                }
            }
        } catch (JsonProcessingException e) {
            throw error(name, line(e.getLocation()), "invalid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw AirlockException.usage("cannot read config " + name + ": " + oneLine(e.getMessage()));
        }
        schema.sections.forEach((key, type) -> sections.computeIfAbsent(key, k -> empty(type)));
        return new Config(Optional.of(file), Optional.of(sha256(bytes)), Map.copyOf(sections));
    }

    /**
     * Reads every token once and returns the line of each key by dotted path. Fails, naming the line
     * and the last key read, on a YAML syntax error, a key that appears twice in one mapping, or a
     * second document in the file.
     */
    private static Map<String, Integer> scan(String name, byte[] bytes) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        String lastKey = null;
        try (JsonParser p = STRICT.getFactory().createParser(bytes)) {
            boolean rootDone = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (rootDone) {
                    throw error(name, p.currentTokenLocation().getLineNr(), "a second document starts here"
                            + " (after '---'); a config file holds one mapping");
                }
                if (t == JsonToken.FIELD_NAME) {
                    String path = dotted(p.getParsingContext());
                    int line = p.currentTokenLocation().getLineNr();
                    if (lines.putIfAbsent(path, line) != null) {
                        throw error(name, line, "key '" + path + "' appears twice (first on line " + lines.get(path) + ")");
                    }
                    lastKey = path;
                }
                if (p.getParsingContext().inRoot() && t != JsonToken.FIELD_NAME) {
                    if (t.isScalarValue() || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        rootDone = true;
                    }
                }
            }
        } catch (JsonProcessingException e) {
            int line = line(e.getLocation());
            String why = e.getOriginalMessage();
            // SnakeYAML knows where the problem is and what it is; its message's first line is only context.
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;
                why = m.getProblem();
            }
            throw error(name, line, "invalid YAML" + (lastKey == null ? "" : " after key '" + lastKey + "'")
                    + ": " + oneLine(why));
        } catch (IOException e) {
            throw AirlockException.usage("cannot read config " + name + ": " + oneLine(e.getMessage()));
        }
        return lines;
    }

    /** The dotted path of the current field, e.g. {@code audit.checkpoint_every_rows}; indexes as {@code [0]}. */
    private static String dotted(com.fasterxml.jackson.core.JsonStreamContext ctx) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (var c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /**
     * Reads a whole YAML file as one {@code type} (a project agent file, a workflow), with the same
     * strictness as the config: unknown keys, duplicate keys, wrong types and invalid values are
     * usage errors (exit 2) naming {@code file:line} and the key.
     */
    public static <T> T loadDocument(Path file, Class<T> type) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw AirlockException.usage(file + ": no such file");
        } catch (IOException e) {
            throw AirlockException.usage("cannot read " + file + ": " + oneLine(e.getMessage()));
        }
        return parseDocument(file.toString(), bytes, type);
    }

    /** As {@link #loadDocument}, for text that did not come from a file; {@code name} is used in errors. */
    public static <T> T parseDocument(String name, byte[] bytes, Class<T> type) {
        Map<String, Integer> keyLines = scan(name, bytes);
        try (JsonParser p = STRICT.getFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw error(name, 0, "the file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(name, p.currentTokenLocation().getLineNr(), "the top level must be a mapping");
            }
            return bind(p, type, "", name, keyLines);
        } catch (JsonProcessingException e) {
            throw error(name, line(e.getLocation()), "invalid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw AirlockException.usage("cannot read " + name + ": " + oneLine(e.getMessage()));
        }
    }

    /** A configuration with every section at its defaults and no file behind it. */
    public static Config defaults(Schema schema) {
        Map<String, Object> sections = new LinkedHashMap<>();
        schema.sections.forEach((key, type) -> sections.put(key, empty(type)));
        return new Config(Optional.empty(), Optional.empty(), Map.copyOf(sections));
    }

    /** The bound section registered under {@code key}. */
    public <T> T section(String key, Class<T> type) {
        Object value = sections.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no config section registered as " + key);
        }
        return type.cast(value);
    }

    /** Every section by key, in the schema's order (defaults where the file has none). */
    public Map<String, Object> sections() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        order.forEach(k -> ordered.put(k, sections.get(k)));
        return ordered;
    }

    /** The file this configuration came from, if any. */
    public Optional<Path> file() {
        return file;
    }

    /** SHA-256 (hex) of the file's bytes, if a file was read; used to notice and audit changes. */
    public Optional<String> sha256() {
        return sha256;
    }

    private static <T> T bind(JsonParser p, Class<T> type, String section, String file, Map<String, Integer> keyLines)
            throws IOException {
        try {
            return STRICT.readValue(p, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : "; known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            String key = path(section, e);
            throw error(file, lineOf(key, keyLines, e), "unknown key '" + key + "'" + known);
        } catch (InvalidFormatException e) {
            String key = path(section, e);
            throw error(file, lineOf(key, keyLines, e), "wrong type for key '" + key + "': expected "
                    + describe(e.getTargetType()) + ", got '" + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            String key = path(section, e);
            throw error(file, lineOf(key, keyLines, e), "wrong type for key '" + key + "': expected "
                    + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
            String key = path(section, e);
            // A record's own validation names the key in its message ("checkpoint_every_rows must be…"):
            // point at that key inside the record that failed, the most specific one if several match.
            String prefix = key.isEmpty() ? "" : key + ".";
            String named = null;
            for (String k : keyLines.keySet()) {
                if (k.startsWith(prefix) && why != null && why.contains(k.substring(prefix.length()))
                        && (named == null || k.length() > named.length())) {
                    named = k;
                }
            }
            if (named != null) {
                key = named;
            }
            throw error(file, lineOf(key, keyLines, e), "invalid value for key '" + key + "': " + oneLine(why));
        }
    }

    /** The line where {@code key} (or its nearest enclosing key) is written, else where the error was found. */
    private static int lineOf(String key, Map<String, Integer> keyLines, JsonProcessingException e) {
        for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            Integer line = keyLines.get(k.replaceAll("\\[\\d+]$", ""));
            if (line != null) {
                return line;
            }
        }
        return line(e.getLocation());
    }

    private static String path(String section, JsonMappingException e) {
        StringBuilder sb = new StringBuilder(section);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        return "a mapping";
    }

    private static <T> T empty(Class<T> type) {
        try {
            return STRICT.readValue("{}", type);
        } catch (IOException e) {
            throw new IllegalStateException("section type " + type.getName() + " has no defaults", e);
        }
    }

    private static AirlockException error(String file, int line, String what) {
        return AirlockException.usage(file + (line < 1 ? "" : ":" + line) + ": " + oneLine(what));
    }

    private static int line(JsonLocation where) {
        return where == null ? 0 : where.getLineNr();
    }

    /** Parser messages run over several lines (a source excerpt, a caret); errors are one line. */
    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String first = s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        int source = first.indexOf(" at [Source");
        return source >= 0 ? first.substring(0, source) : first;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("deprecation")
    private static ObjectMapper strictMapper() {
        return JsonMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // 5.5 for a whole number is a mistake to report, not a value to truncate
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }
}
