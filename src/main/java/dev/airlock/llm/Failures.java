package dev.airlock.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.gate.EgressGate;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.langchain4j.exception.HttpException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns whatever a request failed with into one {@link LlmException} whose message names the provider
 * and the model and says what to do. Messages carry no key and none of the conversation: a provider's
 * own error text is included only for errors that describe the request, cut to one short line; causes
 * are kept only where their messages cannot hold content (timeouts, connection failures).
 */
final class Failures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODEL_MISSING = Pattern.compile(
            "model.{0,200}(not[ _]found|does not exist|doesn't exist|unknown|not available)|model_not_found|unknown model",
            Pattern.CASE_INSENSITIVE);

    private Failures() {}

    static LlmException map(Throwable thrown, Context c) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof LlmException e) {
                return e;
            }
            if (t instanceof EgressGate.EgressRefused e) {
                return new LlmException(LlmException.Kind.EGRESS_DENIED, c.who() + ": " + e.getMessage());
            }
            if (t instanceof AirlockException e) {
                // The vault could not give the key: locked (exit 7), or no such secret (exit 2).
                LlmException.Kind kind = e.exitCode() == ExitCode.AUTH ? LlmException.Kind.AUTHENTICATION
                        : e.exitCode() == ExitCode.USAGE ? LlmException.Kind.CONFIGURATION : LlmException.Kind.PROVIDER;
                return new LlmException(kind, c.who() + ": cannot get the API key: " + e.getMessage(), e);
            }
            if (t instanceof StreamFailure f) {
                return switch (f.why()) {
                    case CANCELLED -> new LlmException(LlmException.Kind.CANCELLED, c.who() + ": cancelled");
                    case CUT_SHORT -> new LlmException(LlmException.Kind.MALFORMED, c.who() + ": the reply was cut short: "
                            + f.getMessage() + "; try again");
                    case NOT_WIRE_FORMAT -> new LlmException(LlmException.Kind.MALFORMED, c.who() + ": the reply is not the "
                            + c.format().description() + " wire format: " + f.getMessage()
                            + "; check that models.providers." + c.provider() + " has the right type and base_url");
                    case PROVIDER_ERROR -> errorInStream(f.getMessage(), c);
                };
            }
            if (t instanceof HttpException h) {
                return http(h.statusCode(), h.getMessage(), c);
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                String what = t instanceof HttpConnectTimeoutException ? "could not connect" : "no answer";
                return new LlmException(LlmException.Kind.TIMEOUT, c.who() + ": " + what + " within " + c.timeoutSeconds()
                        + " s; try again, or raise models.timeout_seconds", t);
            }
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException || t instanceof UnknownHostException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": cannot reach " + c.endpoint() + " ("
                        + t.getClass().getSimpleName() + "); is the server running, and is base_url right?", t);
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return new LlmException(LlmException.Kind.MALFORMED, c.who() + ": the reply is not the "
                        + c.format().description() + " wire format (" + t.getClass().getSimpleName() + ")");
            }
            if (t instanceof InterruptedException) {
                return new LlmException(LlmException.Kind.CANCELLED, c.who() + ": cancelled");
            }
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": the connection to " + c.endpoint()
                        + " failed (" + t.getClass().getSimpleName() + "); try again", t);
            }
        }
        return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": the request failed ("
                + thrown.getClass().getSimpleName() + ")");
    }

    private static LlmException http(int status, String body, Context c) {
        Optional<String> said = providerMessage(body);
        String quoted = said.map(s -> ": " + s).orElse("");
        if (status == 401 || status == 403) {
            // The provider's text is left out: some echo part of the key they refused.
            String check = c.key().map(k -> "check " + k.describe())
                    .orElse("this provider needs a key: store it with airlock secrets set NAME and give models.providers." + c.provider()
                            + " an api_key of secret:NAME");
            return new LlmException(LlmException.Kind.AUTHENTICATION, "the provider " + c.provider() + " rejected the API key (HTTP "
                    + status + ") for model " + c.model() + "; " + check);
        }
        if (status == 404 || status == 400 && said.map(s -> MODEL_MISSING.matcher(s).find()).orElse(false)
                || body != null && body.contains("model_not_found")) {
            return new LlmException(LlmException.Kind.UNKNOWN_MODEL, "the provider " + c.provider() + " does not know the model '"
                    + c.model() + "' (HTTP " + status + quoted + "); check the model name and models.providers." + c.provider()
                    + ".base_url");
        }
        if (status == 408) {
            return new LlmException(LlmException.Kind.TIMEOUT, c.who() + ": the server timed out (HTTP 408); try again");
        }
        if (status == 429) {
            return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": rate limited or out of quota (HTTP 429" + quoted
                    + "); wait and try again, or check the account's limits");
        }
        if (status >= 500) {
            return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": the server failed (HTTP " + status + quoted
                    + "); try again later");
        }
        return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": the provider refused the request (HTTP " + status
                + quoted + ")");
    }

    private static LlmException errorInStream(String message, Context c) {
        String said = oneLine(message);
        if (MODEL_MISSING.matcher(said).find()) {
            return new LlmException(LlmException.Kind.UNKNOWN_MODEL, "the provider " + c.provider() + " does not know the model '"
                    + c.model() + "' (" + said + "); check the model name");
        }
        return new LlmException(LlmException.Kind.PROVIDER, c.who() + ": the provider reported an error while streaming"
                + (said.isEmpty() ? "" : ": " + said) + "; try again");
    }

    /** The provider's one-line error message from an OpenAI, Anthropic or Ollama error body. */
    static Optional<String> providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode e = n.path("error");
            String m = e.isTextual() ? e.asText() : e.path("message").asText(n.path("message").asText(""));
            return m.isBlank() ? Optional.empty() : Optional.of(oneLine(m));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** What a message needs to name. */
    record Context(String provider, String model, String endpoint, WireFormat format,
            Optional<ModelSettings.KeyReference> key, long timeoutSeconds) {
        String who() {
            return "provider " + provider + " (model " + model + ")";
        }

        @Override
        public String toString() {
            return who().toLowerCase(Locale.ROOT);
        }
    }
}
