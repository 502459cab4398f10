package io.steward.nodes;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} header names the primary itself: its scheme is http or https and its
 * host and port are the {@code Host} the request was sent to. Agents send no Origin; a browser always does,
 * so a WebSocket opened by a page of another site is told apart from one opened by the primary's own console.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static boolean matches(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                return false;
            }
            int defaultPort = scheme.equals("https") ? 443 : 80;
            String authority = uri.getHost() + ":" + (uri.getPort() == -1 ? defaultPort : uri.getPort());
            String target = host.strip().contains(":") && !host.strip().endsWith("]") ? host.strip()
                    : host.strip() + ":" + defaultPort;
            return authority.equalsIgnoreCase(target);
        } catch (URISyntaxException e) {
            return false; // "null" (an opaque origin) and anything unparsable is not the primary
        }
    }
}
