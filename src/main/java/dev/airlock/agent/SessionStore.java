package dev.airlock.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.AirlockException;
import dev.airlock.llm.ModelMessage;
import dev.airlock.llm.ToolCall;
import dev.airlock.llm.Usage;
import dev.airlock.vault.ContentCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Chat sessions in the tenant database. Ids, times, agent, model, token counts and cost are readable
 * metadata; every message's content is sealed with the tenant's {@link ContentCipher}, bound to its
 * table, column and {@code session:seq}, so a sealed message moved to another place does not open.
 * Creating and deleting a session are audited in the same transaction as the change.
 */
public final class SessionStore {
    static final String TABLE = "chat_message";
    static final String COLUMN = "content";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private final Jdbi jdbi;
    private final java.util.function.Supplier<ContentCipher> cipherSource;
    private @Nullable ContentCipher cipher;
    private final AuditLog audit;
    private final Clock clock;

    /** A session's readable metadata. */
    public record Info(String id, Instant created, Instant updated, String agent, String model, String workspace,
            int messages, Usage usage, BigDecimal costUsd) {
    }

    /** One stored message, opened. {@code message} is null for agent switches and errors. */
    public record Entry(int seq, Instant time, String kind, String agent, @Nullable String model, @Nullable String tool,
            @Nullable String status, @Nullable Usage usage, @Nullable BigDecimal costUsd, String text,
            @Nullable ModelMessage message) {
    }

    /**
     * @param cipher asked once, on the first read or write of content; listing, finding and deleting
     *               sessions never ask (so they need no key)
     */
    public SessionStore(Jdbi jdbi, java.util.function.Supplier<ContentCipher> cipher, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.cipherSource = cipher;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new, empty session. */
    public Info create(String agent, String model, String workspace) {
        String id = newId();
        long now = clock.millis();
        audit.appendWith(AuditEvent.builder("session.create").target("session:" + id).detail("agent", agent)
                .detail("model", model).build(), h -> h.createUpdate("INSERT INTO chat_session(id, created_ms, updated_ms, agent, model,"
                        + " workspace) VALUES (:id, :now, :now, :agent, :model, :ws)")
                .bind("id", id).bind("now", now).bind("agent", agent).bind("model", model).bind("ws", workspace).execute());
        return find(id).orElseThrow();
    }

    public Optional<Info> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chat_session WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> info(rs)).findOne());
    }

    /** The session {@code id}, or a usage error (exit 2) pointing at {@code airlock sessions list}. */
    public Info require(String id) {
        return find(id).orElseThrow(() -> AirlockException.usage("no session '" + id + "' in this tenant; see airlock sessions list"));
    }

    /** Every session, most recently used first. */
    public List<Info> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chat_session ORDER BY updated_ms DESC, id").map((rs, ctx) -> info(rs)).list());
    }

    /** The messages of {@code id}, opened, in order. */
    public List<Entry> entries(String id) {
        ContentCipher c = cipher();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chat_message WHERE session_id = :id ORDER BY seq").bind("id", id)
                .map((rs, ctx) -> {
                    int seq = rs.getInt("seq");
                    String kind = rs.getString("kind");
                    String json = c.open(TABLE, COLUMN, id + ":" + seq, rs.getBytes("content"));
                    long in = rs.getLong("input_tokens");
                    boolean hasUsage = !rs.wasNull();
                    String cost = rs.getString("cost_usd");
                    JsonNode n = read(json);
                    return new Entry(seq, Instant.ofEpochMilli(rs.getLong("time_ms")), kind, rs.getString("agent"), rs.getString("model"),
                            rs.getString("tool"), rs.getString("status"), hasUsage ? new Usage(in, rs.getLong("output_tokens")) : null,
                            cost == null ? null : new BigDecimal(cost), n.path("text").asText(""), message(kind, n));
                }).list());
    }

    /** The conversation of {@code id} as model messages (switches and errors left out). */
    public List<ModelMessage> history(String id) {
        List<ModelMessage> out = new ArrayList<>();
        for (Entry e : entries(id)) {
            if (e.message() != null) {
                out.add(e.message());
            }
        }
        return out;
    }

    /** Appends a user or assistant message. */
    public void append(String id, String agent, ModelMessage message, @Nullable String model, @Nullable Usage usage,
            @Nullable BigDecimal cost) {
        ObjectNode n = JSON.createObjectNode();
        String kind;
        switch (message) {
            case ModelMessage.User u -> {
                kind = "user";
                n.put("text", u.text());
            }
            case ModelMessage.Assistant a -> {
                kind = "assistant";
                n.put("text", a.text());
                ArrayNode calls = n.putArray("tool_calls");
                for (ToolCall c : a.toolCalls()) {
                    calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.argumentsJson());
                }
            }
            case ModelMessage.ToolResult r -> throw new IllegalArgumentException("tool results are stored with their status: appendToolResult");
            case ModelMessage.System s -> throw new IllegalArgumentException("the system prompt is not stored; it comes from the agent");
        }
        insert(id, kind, agent, model, null, null, usage, cost, n);
    }

    /** Records a tool result's status beside its content (done, denied, refused, failed, invalid). */
    public void appendToolResult(String id, String agent, ModelMessage.ToolResult r, String status) {
        ObjectNode n = JSON.createObjectNode().put("call_id", r.callId()).put("tool", r.toolName()).put("text", r.text());
        insert(id, "tool_result", agent, null, r.toolName(), status, null, null, n);
    }

    /** Records that the session switched from one agent to another. */
    public void appendSwitch(String id, String from, String to) {
        insert(id, "agent_switch", to, null, null, null, null, null, JSON.createObjectNode().put("text", from + " -> " + to));
        jdbi.useHandle(h -> h.createUpdate("UPDATE chat_session SET agent = :a WHERE id = :id").bind("a", to).bind("id", id).execute());
    }

    /** Records an error a turn ended with (the session goes on). */
    public void appendError(String id, String agent, String text) {
        insert(id, "error", agent, null, null, null, null, null, JSON.createObjectNode().put("text", text));
    }

    /** Deletes {@code id} and its messages, with its audit row, in one transaction. */
    public void delete(String id) {
        require(id);
        audit.appendWith(AuditEvent.builder("session.delete").target("session:" + id).build(), h -> {
            h.createUpdate("DELETE FROM chat_message WHERE session_id = :id").bind("id", id).execute();
            return h.createUpdate("DELETE FROM chat_session WHERE id = :id").bind("id", id).execute();
        });
    }

    private void insert(String id, String kind, String agent, @Nullable String model, @Nullable String tool, @Nullable String status,
            @Nullable Usage usage, @Nullable BigDecimal cost, ObjectNode content) {
        // Resolved before the transaction: unlocking the vault writes audit rows, which must not wait
        // on a write lock this thread holds.
        ContentCipher c = cipher();
        long now = clock.millis();
        String json;
        try {
            json = JSON.writeValueAsString(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One whole transaction, repeated if another process held the database lock past the timeout.
        dev.airlock.store.TenantDb.retryingBusy(() -> jdbi.useTransaction(h -> {
            int seq = h.createQuery("SELECT coalesce(max(seq), 0) + 1 FROM chat_message WHERE session_id = :id").bind("id", id)
                    .mapTo(Integer.class).one();
            byte[] sealed = c.seal(TABLE, COLUMN, id + ":" + seq, json);
            h.createUpdate("INSERT INTO chat_message(session_id, seq, time_ms, kind, agent, model, tool, status, input_tokens,"
                    + " output_tokens, cost_usd, content) VALUES (:id, :seq, :t, :kind, :agent, :model, :tool, :status, :in, :out, :cost, :c)")
                    .bind("id", id).bind("seq", seq).bind("t", now).bind("kind", kind).bind("agent", agent).bind("model", model)
                    .bind("tool", tool).bind("status", status)
                    .bind("in", usage == null ? null : usage.inputTokens()).bind("out", usage == null ? null : usage.outputTokens())
                    .bind("cost", cost == null ? null : cost.toPlainString()).bind("c", sealed).execute();
            h.createUpdate("UPDATE chat_session SET updated_ms = :t, messages = messages + 1,"
                    + " input_tokens = input_tokens + :in, output_tokens = output_tokens + :out,"
                    + " cost_usd = CAST(:cost AS TEXT) WHERE id = :id")
                    .bind("t", now).bind("in", usage == null ? 0 : usage.inputTokens()).bind("out", usage == null ? 0 : usage.outputTokens())
                    .bind("cost", addCost(h, id, cost)).bind("id", id).execute();
        }));
    }

    private synchronized ContentCipher cipher() {
        if (cipher == null) {
            cipher = cipherSource.get();
        }
        return cipher;
    }

    private static String addCost(org.jdbi.v3.core.Handle h, String id, @Nullable BigDecimal cost) {
        String current = h.createQuery("SELECT cost_usd FROM chat_session WHERE id = :id").bind("id", id).mapTo(String.class).one();
        return cost == null ? current : new BigDecimal(current).add(cost).toPlainString();
    }

    private static @Nullable ModelMessage message(String kind, JsonNode n) {
        return switch (kind) {
            case "user" -> new ModelMessage.User(n.path("text").asText(""));
            case "assistant" -> {
                List<ToolCall> calls = new ArrayList<>();
                for (JsonNode c : n.path("tool_calls")) {
                    calls.add(new ToolCall(c.path("id").asText(), c.path("name").asText(), c.path("arguments").asText()));
                }
                yield new ModelMessage.Assistant(n.path("text").asText(""), calls);
            }
            case "tool_result" -> new ModelMessage.ToolResult(n.path("call_id").asText(), n.path("tool").asText(), n.path("text").asText(""));
            default -> null;
        };
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Info info(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Info(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("created_ms")), Instant.ofEpochMilli(rs.getLong("updated_ms")),
                rs.getString("agent"), rs.getString("model"), rs.getString("workspace"), rs.getInt("messages"),
                new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens")), new BigDecimal(rs.getString("cost_usd")));
    }

    private static String newId() {
        char[] c = new char[10];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "s-" + new String(c);
    }
}
