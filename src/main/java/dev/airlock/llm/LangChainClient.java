package dev.airlock.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ModelClient} over one of LangChain4j's streaming chat models, whose HTTP is an
 * {@link EgressHttpClient}. LangChain4j 1.18 runs the whole exchange on the calling thread (its
 * streaming models call the HTTP client synchronously, and ours reads the stream on a worker while the
 * caller waits), so when {@code chat} returns from the model the reply is complete; the wait below is
 * a guard should a later version hand the exchange to another thread.
 */
final class LangChainClient implements ModelClient {
    private final String provider;
    private final boolean local;
    private final StreamingChatModel model;
    private final Failures.Context context;
    private final boolean maxCompletionTokens;

    LangChainClient(String provider, boolean local, StreamingChatModel model, Failures.Context context, boolean maxCompletionTokens) {
        this.provider = provider;
        this.local = local;
        this.model = model;
        this.context = context;
        this.maxCompletionTokens = maxCompletionTokens;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public boolean local() {
        return local;
    }

    @Override
    public ModelReply chat(ModelRequest request, StreamListener listener) {
        Failures.Context c = new Failures.Context(provider, request.model(), context.endpoint(), context.format(),
                context.key(), context.timeoutSeconds());
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                if (!done.isDone() && text != null && !text.isEmpty()) {
                    listener.onText(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
        ChatRequest chatRequest;
        try {
            chatRequest = ChatRequest.builder().messages(Translate.messages(request.messages()))
                    .parameters(parameters(request)).build();
        } catch (RuntimeException e) {
            throw new LlmException(LlmException.Kind.CONFIGURATION, c.who() + ": the request cannot be built: " + e.getMessage(), e);
        }
        try {
            model.chat(chatRequest, handler);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        ChatResponse response;
        try {
            response = done.isDone() ? done.getNow(null) : done.get(context.timeoutSeconds() * 2 + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.CANCELLED, c.who() + ": cancelled");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LlmException(LlmException.Kind.TIMEOUT, c.who() + ": no answer within " + context.timeoutSeconds()
                    + " s; try again, or raise models.timeout_seconds");
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            throw fail(e.getCause() == null ? e : e.getCause(), c);
        }
        if (response == null) {
            throw new LlmException(LlmException.Kind.MALFORMED, c.who() + ": the provider's reply ended without a response");
        }
        return Translate.reply(response, request);
    }

    private static LlmException fail(Throwable t, Failures.Context c) {
        LlmException e = Failures.map(t, c);
        if (e.kind() == LlmException.Kind.CANCELLED) {
            // The interrupt was consumed while waiting; the caller should still see it.
            Thread.currentThread().interrupt();
        }
        return e;
    }

    private ChatRequestParameters parameters(ModelRequest request) {
        var tools = request.tools().stream().map(Translate::tool).toList();
        if (maxCompletionTokens) {
            // OpenAI's own API: its reasoning models refuse max_tokens and take max_completion_tokens.
            OpenAiChatRequestParameters.Builder b = OpenAiChatRequestParameters.builder().modelName(request.model())
                    .maxCompletionTokens(request.maxTokens());
            if (!tools.isEmpty()) {
                b.toolSpecifications(tools);
            }
            return b.build();
        }
        DefaultChatRequestParameters.Builder<?> b = DefaultChatRequestParameters.builder().modelName(request.model())
                .maxOutputTokens(request.maxTokens());
        if (!tools.isEmpty()) {
            b.toolSpecifications(tools);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "ModelClient[" + provider + "]";
    }
}
