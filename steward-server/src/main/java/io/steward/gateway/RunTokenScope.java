package io.steward.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run token may reach: the callback routes of its own run, and {@code GET /api/v1/runs/{id}} of its own run
 * (a process may look at the run that launched it). Everything else — other runs, other routes, scripts, tokens,
 * nodes — is refused with a 403 that says why, so a process's token read from its environment is worth nothing
 * beyond the run it belongs to.
 */
final class RunTokenScope {
    private static final Pattern RUN_PATH = Pattern.compile("/api/v1/runs/([^/]+)(/.*)?");

    private RunTokenScope() {
    }

    /**
     * Checks a run token's request.
     *
     * @param needed the route's access
     * @param run    the run the token belongs to
     * @throws ApiError 403 when the token may not make this request
     */
    static void check(String method, String path, Access needed, String run) {
        Matcher m = RUN_PATH.matcher(path);
        String target = m.matches() ? m.group(1) : null;
        boolean ownRunRead = "GET".equals(method) && m.matches() && m.group(2) == null;
        if (needed != Access.CALLBACK && !ownRunRead) {
            throw ApiError.forbidden("a run token reaches only its own run's callbacks (status, events, progress, "
                    + "shared, children) and reading that run; " + method + " " + path + " needs a person's token");
        }
        if (!run.equals(target)) {
            throw ApiError.forbidden("this run token belongs to run " + run + " and acts on that run only, not on "
                    + (target == null ? path : "run " + target));
        }
    }
}
