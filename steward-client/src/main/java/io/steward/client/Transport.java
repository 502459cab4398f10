package io.steward.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The HTTP mechanics under {@link StewardClient}: requests with the bearer token, URL building, and turning every way
 * a call can fail into one {@link StewardApiException} with a message a person can act on.
 *
 * <p>Request/response calls go through {@link HttpURLConnection}: it starts in a fraction of {@link HttpClient}'s
 * time (no selector thread, and no TLS provider for a plain {@code http:} server), which is most of what a short CLI
 * command spends on HTTP (docs/perf/cli-startup.md); the JDK keeps its connections alive and reuses them. Event
 * streams, which must stay open for as long as a run does, use an {@link HttpClient}, built at the first stream, whose
 * async work runs on virtual threads, so many clients in one JVM (scripts calling {@code connect}) never grow a pool
 * of platform threads.
 */
final class Transport implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String token;
    /** The TLS context for an {@code https:} server; null for the JDK's default (its CA store). */
    private final SSLContext tls;
    private ExecutorService executor;
    private HttpClient streams;

    /** @param base a normalised server URL (scheme, host, port, optional path), without a trailing slash */
    Transport(String base, String token) {
        this(base, token, null);
    }

    /** @param tls the context for an {@code https:} server (trusting its CA), or null for the JDK's default */
    Transport(String base, String token, SSLContext tls) {
        this.base = base;
        this.token = token;
        this.tls = tls;
    }

    /** An answer: its status, body and headers (names lower-cased). */
    record Answer(int status, byte[] body, Map<String, String> headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** Whether this transport has opened an event stream, and so built its {@link HttpClient}. */
    synchronized boolean streaming() {
        return streams != null;
    }

    private synchronized HttpClient streams() {
        if (streams == null) {
            executor = Executors.newVirtualThreadPerTaskExecutor();
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).executor(executor);
            if (base.regionMatches(true, 0, "http:", 0, 5)) {
                builder.sslContext(NoTls.CONTEXT);
            } else if (tls != null) {
                builder.sslContext(tls);
            }
            streams = builder.build();
        }
        return streams;
    }

    /**
     * For a plain {@code http:} server: an {@link HttpClient} builds the JVM's default TLS context unless given one,
     * and that reads and parses the JDK's whole CA store, ≈ 70 ms of a CLI command's start (docs/perf/cli-startup.md).
     * Every request goes to {@code base} and redirects are not followed, so this client never speaks TLS; should it
     * ever, this context trusts no certificate and the handshake fails.
     */
    private static final class NoTls {
        static final SSLContext CONTEXT = noTrust();

        private static SSLContext noTrust() {
            try {
                SSLContext c = SSLContext.getInstance("TLS");
                c.init(new KeyManager[0], new TrustManager[0], null);
                return c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS context", e);
            }
        }
    }

    String base() {
        return base;
    }

    /** Sends a request (with {@code body} as JSON unless null) and answers the parsed JSON of a 2xx answer. */
    Object json(String method, String path, Map<String, ?> query, Object body, Duration timeout) {
        Answer answer = exchange(method, uri(path, query), path, "application/json", body == null ? null : write(body), timeout);
        if (answer.status() / 100 != 2) {
            throw error(answer.status(), answer.body());
        }
        return answer.body().length == 0 ? Map.of() : parse(answer.status(), answer.body());
    }

    /** A GET whose 2xx answer is taken as raw bytes (process output). */
    Answer bytes(String path, Map<String, ?> query, String accept) {
        Answer answer = exchange("GET", uri(path, query), path, accept, null, REQUEST_TIMEOUT);
        if (answer.status() / 100 != 2) {
            throw error(answer.status(), answer.body());
        }
        return answer;
    }

    /**
     * One request and its whole answer. Failures before the connection stands (refused, unknown host, no answer to
     * the connect) and after it (no answer in time, a dropped connection) become the same exceptions, with the same
     * words, as a stream's do in {@link #noAnswer}.
     */
    private Answer exchange(String method, URI uri, String path, String accept, byte[] body, Duration timeout) {
        HttpURLConnection c;
        try {
            // No proxy, as HttpClient's default: a Steward server is reached directly.
            c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (tls != null && c instanceof javax.net.ssl.HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
            }
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("User-Agent", "steward-client");
            c.setRequestProperty("Accept", accept);
            if (token != null && !path.equals("/health")) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (body != null) {
                c.setRequestProperty("Content-Type", "application/json");
                c.setDoOutput(true);
                // not in streaming mode: a 401 answer to a streamed body is thrown away (HttpRetryException), with its message
            }
        } catch (IOException e) {
            throw noAnswer(e, timeout);
        }
        try {
            c.connect();
        } catch (SocketTimeoutException e) {
            throw connectTimeout(e);
        } catch (IOException e) {
            throw interruptedOr(noAnswer(e, timeout));
        }
        try {
            if (body != null) {
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            byte[] bytes;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                bytes = in == null ? new byte[0] : in.readAllBytes();
            }
            Map<String, String> headers = new HashMap<>();
            c.getHeaderFields().forEach((name, values) -> {
                if (name != null && !values.isEmpty()) {
                    headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
                }
            });
            return new Answer(status, bytes, headers);
        } catch (SocketTimeoutException e) {
            c.disconnect();
            throw new StewardApiException(0, StewardApiException.TIMEOUT, "the Steward server at " + base
                    + " did not answer within " + Durations.format(timeout), e);
        } catch (IOException e) {
            c.disconnect();
            throw interruptedOr(noAnswer(e, timeout));
        }
    }

    /** An interrupted thread's failed call is an interruption (its socket was closed under it), not a lost server. */
    private StewardApiException interruptedOr(StewardApiException e) {
        return Thread.currentThread().isInterrupted() ? interrupted() : e;
    }

    private StewardApiException connectTimeout(IOException e) {
        return new StewardApiException(0, StewardApiException.UNREACHABLE, "cannot reach the Steward server at " + base
                + ": no connection within " + CONNECT_TIMEOUT.toSeconds() + " s — is the address right and the port open?", e);
    }

    /**
     * A GET whose 2xx answer is read as a stream (Server-Sent Events); the caller closes it, which also closes the
     * connection. The timeout covers only the wait for the answer's headers: a stream may rightly stay quiet for
     * as long as the run does.
     */
    InputStream stream(String path, Map<String, ?> query, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, query)).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", "steward-client").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<InputStream> response = send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            try (InputStream in = response.body()) {
                throw error(response.statusCode(), in.readNBytes(64 * 1024));
            } catch (IOException e) {
                throw noAnswer(e, REQUEST_TIMEOUT);
            }
        }
        return response.body();
    }

    private URI uri(String path, Map<String, ?> query) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        if (query != null) {
            query.forEach((k, v) -> {
                if (v != null) {
                    q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
                }
            });
        }
        return URI.create(base + path + q);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return streams().send(request, handler);
        } catch (IOException e) {
            throw noAnswer(e, request.timeout().orElse(REQUEST_TIMEOUT));
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** The exception for a call that got no answer; {@code timeout} is the request's, for the message. */
    StewardApiException noAnswer(IOException e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException ssl) {
                return untrusted(e, ssl);
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new StewardApiException(0, StewardApiException.UNREACHABLE, "cannot reach the Steward server at " + base
                    + ": no connection within " + CONNECT_TIMEOUT.toSeconds() + " s — is the address right and the port open?", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new StewardApiException(0, StewardApiException.TIMEOUT, "the Steward server at " + base
                    + " did not answer within " + Durations.format(timeout), e);
        }
        if (e instanceof UnknownHostException) {
            return new StewardApiException(0, StewardApiException.UNREACHABLE, "cannot reach the Steward server at "
                    + base + ": unknown host " + URI.create(base).getHost(), e);
        }
        if (e instanceof ConnectException) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
                return new StewardApiException(0, StewardApiException.UNREACHABLE, "cannot reach the Steward server at "
                        + base + ": unknown host " + URI.create(base).getHost(), e);
            }
            String reason = root.getMessage() == null ? "connection refused" : root.getMessage().toLowerCase();
            String hint = reason.contains("refused") ? " — is it running? (start it with `steward server`)" : "";
            return new StewardApiException(0, StewardApiException.UNREACHABLE,
                    "cannot reach the Steward server at " + base + ": " + reason + hint, e);
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new StewardApiException(0, StewardApiException.IO_ERROR,
                "lost the connection to the Steward server at " + base + ": " + reason, e);
    }

    /**
     * A failed TLS handshake: almost always a certificate this client does not trust (a private CA, a wrong host
     * name), so the message says which CA file to give.
     */
    private StewardApiException untrusted(IOException e, javax.net.ssl.SSLException ssl) {
        Throwable root = ssl;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new StewardApiException(0, StewardApiException.UNREACHABLE, "cannot trust the Steward server at " + base
                + " (TLS: " + reason + ") — give the CA certificate that signed its certificate with --ca-cert FILE or "
                + "STEWARD_CA_CERT (the ca.pem of `steward tls init`), and reach it by a name its certificate holds", e);
    }

    /** Restores the interrupt flag, which the blocking call consumed, so the caller's thread still sees it. */
    StewardApiException interrupted() {
        Thread.currentThread().interrupt();
        return new StewardApiException(0, StewardApiException.INTERRUPTED,
                "interrupted while talking to the Steward server at " + base, (Object) null);
    }

    /** The server's JSON error body as an exception; anything else (a proxy's HTML page) by its status and text. */
    StewardApiException error(int status, byte[] body) {
        try {
            if (JSON.readValue(body, Object.class) instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> err
                    && err.get("message") != null) {
                Object code = err.get("code");
                return new StewardApiException(status, code == null ? "http_" + status : code.toString(),
                        err.get("message").toString(), err.get("details"));
            }
        } catch (IOException notJson) {
            // fall through: describe the answer as it is
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        int cut = Math.min(text.length(), 200);
        int newline = text.indexOf('\n');
        if (newline >= 0 && newline < cut) {
            cut = newline;
        }
        return new StewardApiException(status, "http_" + status, "the server at " + base + " answered HTTP " + status
                + (text.isEmpty() ? "" : ": " + text.substring(0, cut)), (Object) null);
    }

    Object parse(int status, byte[] body) {
        try {
            return JSON.readValue(body, Object.class);
        } catch (IOException e) {
            throw new StewardApiException(status, StewardApiException.BAD_RESPONSE,
                    "the server at " + base + " answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot send this as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One path segment, percent-encoded so that a run id or token name can never change the path's shape. */
    static String segment(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * A script name as a path: its slashes stay slashes ({@code /scripts/deploy/web.groovy}), because servers such as
     * Jetty refuse an encoded slash as ambiguous; every segment is encoded on its own.
     */
    static String scriptPath(String name) {
        StringJoiner path = new StringJoiner("/");
        for (String part : name.split("/", -1)) {
            path.add(segment(part));
        }
        return path.toString();
    }

    @Override
    public synchronized void close() {
        // shutdownNow, not close: close would wait for a follower's endless stream; calls in flight fail instead
        if (streams != null) {
            streams.shutdownNow();
            executor.shutdownNow();
        }
    }
}
