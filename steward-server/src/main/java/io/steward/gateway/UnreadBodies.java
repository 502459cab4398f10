package io.steward.gateway;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what a route left unread of a request body before the answer goes out. A route that answers without its body
 * (a 404 for an unknown schedule, a 401) would otherwise leave bytes on a kept-alive connection, which Jetty then
 * closes after an answer already committed without {@code Connection: close}: the client's next request on it gets
 * no answer at all. Bodies larger than the gateway takes are not read; their answer says it closes the connection.
 */
final class UnreadBodies {
    private UnreadBodies() {
    }

    static void drain(Context ctx, long maxBody) {
        if (ctx.res().isCommitted()) {
            return; // a stream has answered already; nothing can be said in its headers now
        }
        byte[] buffer = new byte[8192];
        long left = maxBody;
        try {
            InputStream in = ctx.req().getInputStream();
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the body cannot be read (the client went, or the body was taken as a reader): close all the same
        }
        ctx.header("Connection", "close");
    }
}
