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

    private Config(Optional<Path> file, Optional<String> sha256, Map<String, Object> sections) {
        this.file = file;
        this.sha256 = sha256;
        this.sections = sections;
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
        Map<String, Object> sections = new LinkedHashMap<>();
        String name = file.toString();
        try (JsonParser p = STRICT.getFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first != null && first != JsonToken.VALUE_NULL) {
                if (first != JsonToken.START_OBJECT) {
                    throw error(name, p.currentLocation(), "the top level must be a mapping of sections ("
                            + String.join(", ", schema.sections.keySet()) + ")");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation where = p.currentLocation();
                    Class<?> type = schema.sections.get(key);
                    if (type == null) {
                        throw error(name, where, "unknown key '" + key + "'; known sections: "
                                + String.join(", ", new TreeSet<>(schema.sections.keySet())));
                    }
                    if (sections.containsKey(key)) {
                        throw error(name, where, "key '" + key + "' appears twice");
                    }
                    JsonToken value = p.nextToken();
                    sections.put(key, value == JsonToken.VALUE_NULL ? empty(type) : bind(p, type, key, name));
                }
            }
        } catch (JsonProcessingException e) {
            throw error(name, e.getLocation(), "invalid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AirlockException.usage("cannot read config " + name + ": " + e.getMessage());
        }
        schema.sections.forEach((key, type) -> sections.computeIfAbsent(key, k -> empty(type)));
        return new Config(Optional.of(file), Optional.of(sha256(bytes)), Map.copyOf(sections));
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

    /** The file this configuration came from, if any. */
    public Optional<Path> file() {
        return file;
    }

    /** SHA-256 (hex) of the file's bytes, if a file was read; used to notice and audit changes. */
    public Optional<String> sha256() {
        return sha256;
    }

    private static <T> T bind(JsonParser p, Class<T> type, String section, String file) throws IOException {
        try {
            return STRICT.readValue(p, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : "; known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw error(file, e.getLocation(), "unknown key '" + path(section, e) + "'" + known);
        } catch (InvalidFormatException e) {
            throw error(file, e.getLocation(), "wrong type for key '" + path(section, e) + "': expected "
                    + describe(e.getTargetType()) + ", got '" + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            throw error(file, e.getLocation(), "wrong type for key '" + path(section, e) + "': expected "
                    + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw error(file, e.getLocation(), "invalid value for key '" + path(section, e) + "': " + cause.getMessage());
        }
    }

    private static String path(String section, JsonMappingException e) {
        StringBuilder sb = new StringBuilder(section);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
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

    private static AirlockException error(String file, JsonLocation where, String what) {
        String line = where == null || where.getLineNr() < 1 ? "" : ":" + where.getLineNr();
        return AirlockException.usage(file + line + ": " + what);
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
                .build();
    }
}
