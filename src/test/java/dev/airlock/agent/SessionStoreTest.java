package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.llm.ModelMessage;
import dev.airlock.llm.ToolCall;
import dev.airlock.llm.Usage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private final AgentFixture f = new AgentFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void messages_roundTrip_andContentIsSealedOnDisk() {
        SessionStore store = f.store();
        SessionStore.Info s = store.create("coder", "openai/gpt-4o-mini", "/w");
        store.append(s.id(), "coder", new ModelMessage.User("marker-user-text-7d1f"), null, null, null);
        store.append(s.id(), "coder", new ModelMessage.Assistant("marker-reply-2b9c", List.of(new ToolCall("c1", "shell", "{\"command\":\"marker-args-55e1\"}"))),
                "openai/gpt-4o-mini", new Usage(100, 20), new BigDecimal("0.0012"));
        store.appendToolResult(s.id(), "coder", new ModelMessage.ToolResult("c1", "shell", "marker-result-9a0f"), "done");
        assertThat(store.history(s.id())).hasSize(3);
        assertThat(store.history(s.id()).get(1)).isEqualTo(new ModelMessage.Assistant("marker-reply-2b9c",
                List.of(new ToolCall("c1", "shell", "{\"command\":\"marker-args-55e1\"}"))));
        SessionStore.Info after = store.require(s.id());
        assertThat(after.messages()).isEqualTo(3);
        assertThat(after.usage()).isEqualTo(new Usage(100, 20));
        assertThat(after.costUsd()).isEqualByComparingTo("0.0012");
        String disk = new String(f.tenantBytes(), StandardCharsets.ISO_8859_1);
        for (String marker : List.of("marker-user-text-7d1f", "marker-reply-2b9c", "marker-args-55e1", "marker-result-9a0f")) {
            assertThat(disk).doesNotContain(marker);
        }
    }

    @Test
    void sealedContent_movedToAnotherRow_doesNotOpen() {
        SessionStore store = f.store();
        SessionStore.Info s = store.create("coder", "m/x", "/w");
        store.append(s.id(), "coder", new ModelMessage.User("first"), null, null, null);
        store.append(s.id(), "coder", new ModelMessage.User("second"), null, null, null);
        f.db.jdbi().useHandle(h -> h.execute("UPDATE chat_message SET content = (SELECT content FROM chat_message WHERE seq = 1) WHERE seq = 2"));
        assertThatThrownBy(() -> store.history(s.id())).isInstanceOf(RuntimeException.class);
    }

    @Test
    void delete_removesEverything_andIsAudited() {
        SessionStore store = f.store();
        SessionStore.Info s = store.create("coder", "m/x", "/w");
        store.append(s.id(), "coder", new ModelMessage.User("bye"), null, null, null);
        store.delete(s.id());
        assertThat(store.find(s.id())).isEmpty();
        int left = f.db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM chat_message").mapTo(Integer.class).one());
        assertThat(left).isZero();
        assertThat(f.rows()).extracting(AgentFixture.Row::action).containsSubsequence("session.create", "session.delete");
        assertThatThrownBy(() -> store.delete(s.id())).hasMessageContaining("no session");
    }
}
