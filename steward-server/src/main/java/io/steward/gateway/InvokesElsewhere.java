package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.steward.nodes.Selector;
import io.steward.store.PrimaryRecord;
import io.steward.store.Store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An invoke whose {@code on} matches no node linked here, but agents linked to one other live primary of the cluster:
 * handed on to that primary, with the caller's own request (token, query, body), and its answer handed back. Behind a
 * load balancer a client cannot choose the primary that holds its agent's link, so without this half the invokes on
 * an agent would fail with "matches no node" while {@code steward nodes} shows it online.
 *
 * <p>Only when the selector names agents of one primary (by name or glob: other primaries publish their agents' names)
 * and none linked here; a selector whose agents are spread over several primaries (or here and elsewhere) runs here
 * as one fan-out that hands each other primary its children through the database (io.steward.nodes
 * .ChildrenOnOtherPrimaries). The request goes to the URL the other primary registered, at most once (a handed-on
 * request is never handed on again), so the caller's token travels between primaries: give primaries {@code https}
 * URLs where their network is not trusted.
 */
final class InvokesElsewhere {
    /** Set on a handed-on request, naming the primary that handed it on. */
    static final String FORWARDED_FROM = "X-Steward-Forwarded-From";
    /** Set on the answer to a handed-on request, naming the primary that ran it. */
    static final String RAN_ON = "X-Steward-Primary";
    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(5);

    private final Store store;
    private final ObjectMapper mapper;
    private final Supplier<Duration> ttl;
    private volatile HttpClient client;

    InvokesElsewhere(Store store, ObjectMapper mapper, Supplier<Duration> ttl) {
        this.store = store;
        this.mapper = mapper;
        this.ttl = ttl;
    }

    /**
     * Hands the invoke on when the selector's agents are all linked to one other live primary, and answers for it;
     * returns {@code false} (nothing done) when they are not, so that the caller answers as for a single primary.
     *
     * @param beforeHanding run once it is known that another primary is the invoke's, before it is handed on or
     *                      refused as unreachable: either way this primary keeps nothing of it
     * @throws ApiError 502 {@code primary_unreachable}
     */
    boolean forward(Context ctx, String on, JsonBody body, Duration wait, Runnable beforeHanding) throws InterruptedException {
        if (!store.sharedByPrimaries() || ctx.header(FORWARDED_FROM) != null) {
            return false;
        }
        Selector selector = Selector.parse(on);
        String self = store.config().primaryId();
        Map<PrimaryRecord, List<String>> holders = new LinkedHashMap<>();
        for (PrimaryRecord primary : store.primaries().list(ttl.get())) {
            if (!primary.alive() || primary.id().equals(self)) {
                continue;
            }
            List<String> matched = primary.agentNames().stream().filter(n -> selector.matches(n, Map.of())).toList();
            if (!matched.isEmpty()) {
                holders.put(primary, matched);
            }
        }
        if (holders.isEmpty()) {
            return false;
        }
        if (holders.size() > 1) {
            return false; // agents of several primaries: this primary runs the fan-out, handing each its children
        }
        PrimaryRecord to = holders.keySet().iterator().next();
        beforeHanding.run();
        if (to.url() == null) {
            throw new ApiError(502, "primary_unreachable", "the agents " + holders.get(to) + " are linked to primary "
                    + to.id() + ", which has not registered its URL: invoke through that primary",
                    Map.of("primary", to.id()));
        }
        hand(ctx, to, body, wait);
        return true;
    }

    private void hand(Context ctx, PrimaryRecord to, JsonBody body, Duration wait) throws InterruptedException {
        String query = ctx.queryString();
        URI uri = URI.create(to.url().replaceAll("/+$", "") + "/api/v1/runs" + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30).plus(wait == null ? Duration.ZERO : wait))
                .header("Content-Type", "application/json")
                .header(FORWARDED_FROM, store.config().primaryId());
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = client().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(
                    mapper.writeValueAsBytes(body.fields()))).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiError(502, "primary_unreachable", "the agents of this invoke are linked to primary " + to.id()
                    + " at " + to.url() + ", which did not answer (" + why(e) + "): invoke through that primary, "
                    + "or let the primaries reach each other's URLs", Map.of("primary", to.id(), "url", to.url()));
        }
        ctx.status(answer.statusCode()).header(RAN_ON, to.id());
        answer.headers().firstValue("Location").ifPresent(l -> ctx.header("Location", l));
        answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        ctx.result(answer.body());
    }

    /** What went wrong, in words: the JDK's exceptions for a refused or timed-out connection often have no message. */
    private static String why(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_WITHIN.toSeconds() + " s";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "could not connect" : "the connection failed";
    }

    /** Made on the first hand-on: a lone primary, or one whose agents are all its own, never builds it. */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(CONNECT_WITHIN)
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                }
                c = client;
            }
        }
        return c;
    }
}
