package dev.airlock.gate;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.Decision;
import dev.airlock.policy.PolicyEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one door through which Airlock's own HTTP leaves the process (model providers, {@code http_get},
 * the relay). Every request and every redirect hop is checked against the egress policy before a
 * connection is opened: allowed domains, offline mode (loopback only), the optional proxy. Each
 * request is recorded — method, host, path, status and size, never content — before it is sent and
 * after it returns; a request whose record cannot be written is not sent.
 *
 * <p>Nothing here follows a redirect on its own: each hop is a new, checked request, so an allowed
 * host cannot bounce a request to a forbidden one.
 */
public final class EgressGate {
    static final int MAX_REDIRECTS = 5;

    private final PolicyEngine engine;
    private final AuditLog audit;
    private final HttpClient client;

    private EgressGate(PolicyEngine engine, AuditLog audit, HttpClient client) {
        this.engine = engine;
        this.audit = audit;
        this.client = client;
    }

    /** A gate over the engine's egress policy; traffic goes through its proxy when one is configured. */
    public static EgressGate create(PolicyEngine engine, AuditLog audit) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30));
        Optional<URI> proxy = engine.egress().proxy();
        proxy.ifPresent(p -> b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 3128 : p.getPort()))));
        return new EgressGate(engine, audit, b.build());
    }

    /** Refused by the egress policy: exit 4 for a deny, 5 for a host that needs an approval first. */
    public static final class EgressRefused extends AirlockException {
        private static final long serialVersionUID = 1L;

        EgressRefused(ExitCode code, String message) {
            super(code, message);
        }
    }

    /**
     * Sends {@code request} for {@code agent} if the policy allows its host, following up to five
     * redirects, each checked the same way.
     *
     * @throws EgressRefused when the host (or a redirect's host) is not allowed; nothing was sent to it
     */
    public <T> HttpResponse<T> send(String actor, String agent, HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return send(actor, agent, request, body, false);
    }

    /**
     * {@link #send} for a request a model asked for: every hop is also held to
     * {@link #modelDecision}, so neither the URL nor a redirect reaches the host's loopback or a
     * private address that the allow-list does not name. A hop that would need an approval is
     * refused: nobody can be asked in the middle of a request.
     */
    public <T> HttpResponse<T> sendForModel(String actor, String agent, HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return send(actor, agent, request, body, true);
    }

    /**
     * The policy's decision on a URL a model asked for: {@link PolicyEngine#checkUrl}, where the
     * host's loopback and private address literals are not implied (listed, or asked about when no
     * allow-list is configured; denied when one is).
     */
    public static Decision modelDecision(PolicyEngine engine, URI uri, String agent) {
        Decision d = engine.checkUrl(uri, agent);
        return uri.getHost() == null ? d : EgressRule.forModel(engine, d, uri.getHost());
    }

    private <T> HttpResponse<T> send(String actor, String agent, HttpRequest request, HttpResponse.BodyHandler<T> body,
            boolean forModel) throws IOException, InterruptedException {
        Objects.requireNonNull(request);
        HttpRequest current = request;
        for (int hop = 0; ; hop++) {
            check(actor, agent, current.method(), current.uri(), forModel && hop > 0, forModel);
            HttpResponse<T> response = client.send(current, body);
            recordResponse(actor, current, response);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            if (status < 300 || status > 399 || location.isEmpty() || status == 304) {
                return response;
            }
            if (hop + 1 > MAX_REDIRECTS) {
                throw new EgressRefused(ExitCode.RUNTIME, "more than " + MAX_REDIRECTS + " redirects from "
                        + request.uri().getHost() + "; stopped");
            }
            URI next = current.uri().resolve(location.get());
            String method = (status == 307 || status == 308) ? current.method() : "GET";
            HttpRequest.Builder nb = HttpRequest.newBuilder(next).timeout(current.timeout().orElse(Duration.ofMinutes(2)));
            if (method.equals("GET")) {
                nb.GET();
            } else {
                nb.method(method, current.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
            }
            // Headers are not carried to another host: an Authorization header must not follow a redirect.
            if (Objects.equals(next.getHost(), current.uri().getHost())) {
                current.headers().map().forEach((k, vs) -> {
                    if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
                        vs.forEach(v -> nb.header(k, v));
                    }
                });
            }
            current = nb.build();
        }
    }

    /**
     * Checks and records a request to {@code uri} without sending anything: for a caller that must
     * refuse before it builds a connection at all (a remote model provider in offline mode). The
     * record is the same {@code egress.request} row {@link #send} writes.
     *
     * @throws EgressRefused when the host is not allowed
     */
    public void preflight(String actor, String agent, String method, URI uri) {
        check(actor, agent, method, uri, false, false);
    }

    /**
     * Decides and records one hop. {@code forModel}: the model's rule applies; {@code redirect}: the
     * hop was not approved by anyone, so what the model's rule would ask about is refused (the first
     * hop was approved by the gate before {@link #sendForModel} was called).
     */
    private void check(String actor, String agent, String method, URI uri, boolean redirect, boolean forModel) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Decision d = (scheme.equals("http") || scheme.equals("https")) ? engine.checkUrl(uri, agent)
                : new Decision.Deny(java.util.List.of("only http and https leave Airlock, not '" + scheme + "'"),
                        java.util.List.of(), java.util.List.of());
        if (forModel && uri.getHost() != null) {
            Decision model = EgressRule.forModel(engine, d, uri.getHost());
            if (model instanceof Decision.Deny || redirect && model instanceof Decision.Ask) {
                d = new Decision.Deny(model.reasons(), model.rules(), model.commands());
            } else if (model instanceof Decision.Ask && !(d instanceof Decision.Ask)) {
                // approved by the gate before the first hop: the approval stands for this host
                d = new Decision.Allow(model.reasons(), model.rules(), model.commands());
            }
        }
        String outcome = switch (d) {
            case Decision.Allow a -> "approved";
            case Decision.Ask a -> "refused";
            case Decision.Deny a -> "denied";
        };
        audit.append(AuditEvent.builder("egress.request").actor(actor).target("host:" + uri.getHost()).outcome(outcome)
                .detail("method", method).detail("scheme", scheme).detail("host", String.valueOf(uri.getHost()))
                .detail("port", uri.getPort()).detail("path", uri.getRawPath() == null ? "" : uri.getRawPath())
                .detail("agent", agent).detail("reasons", d.reasons()).build());
        switch (d) {
            case Decision.Allow a -> { }
            case Decision.Ask a -> throw new EgressRefused(ExitCode.APPROVAL_REQUIRED, "egress to " + uri.getHost()
                    + " is not approved: " + String.join("; ", a.reasons()) + ". Add it to policy.egress.allowed_domains");
            case Decision.Deny a -> throw new EgressRefused(ExitCode.DENIED, "egress to " + uri.getHost() + " denied: "
                    + String.join("; ", a.reasons()));
        }
    }

    private void recordResponse(String actor, HttpRequest request, HttpResponse<?> response) {
        long size = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (response.body() instanceof byte[] b) {
            size = b.length;
        } else if (response.body() instanceof String s) {
            size = s.length();
        }
        audit.append(AuditEvent.builder("egress.response").actor(actor).target("host:" + request.uri().getHost())
                .outcome(response.statusCode() < 400 ? "success" : "failure")
                .detail("status", response.statusCode()).detail("bytes", size).build());
    }
}
