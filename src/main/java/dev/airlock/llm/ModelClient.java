package dev.airlock.llm;

/**
 * One configured model provider. Implementations are thread-safe; one request at a time per call.
 *
 * <p>The caller has already redacted everything in {@code request}: a client sends what it is given.
 */
public interface ModelClient {
    /** The provider's name in the config ({@code openai}, {@code local}…). */
    String provider();

    /** Whether this provider runs on this machine (loopback): its models cost nothing. */
    boolean local();

    /**
     * Sends {@code request} and blocks until the reply is complete, passing text to {@code listener}
     * as it streams in. Interrupting the calling thread cancels the request and throws
     * {@link LlmException} with kind {@link LlmException.Kind#CANCELLED}.
     *
     * @throws LlmException when the provider cannot be reached, refuses the key, does not know the
     *                      model, times out, or answers something that is not its wire format
     */
    ModelReply chat(ModelRequest request, StreamListener listener);
}
