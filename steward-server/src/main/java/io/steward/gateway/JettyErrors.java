package io.steward.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer to what Jetty refuses before a route sees it (an ambiguous URI such as {@code ..%2f}, an encoded
 * backslash or NUL, a malformed header): the API's JSON error instead of Jetty's HTML page, so every 4xx a client
 * gets is an {@code {"error": {"code", "message"}}}.
 */
final class JettyErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String text = code == 400 ? "the request is malformed (" + (message == null ? "bad request" : message)
                + "): an encoded '/', '\\', '.' segment or NUL in the path, or a bad header, is refused; send names as "
                + "they are, without encoding their separators" : message == null ? "HTTP " + code : message;
        String codeName = code == 400 ? "bad_request" : code == 404 ? "not_found" : code == 413 ? "too_large"
                : code == 431 ? "too_large" : code >= 500 ? "internal" : "http_" + code;
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("error", Map.of("code", codeName, "message", text)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (code == 400 || code == 413 || code == 431) {
            // Jetty drops the connection after refusing a malformed request; say so, or a client reusing the
            // kept-alive connection sees its next request fail with no answer at all
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
