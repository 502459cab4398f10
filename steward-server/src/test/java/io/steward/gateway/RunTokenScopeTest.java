package io.steward.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a run token reaches, route by route, and that no person's role or stored token gains or loses by it. */
class RunTokenScopeTest {
    private static final String RUN = "01JRUN";

    @Test
    void aRunTokenReachesItsOwnRunsCallbacksAndItsOwnRun() {
        for (String path : new String[]{"/api/v1/runs/01JRUN/status", "/api/v1/runs/01JRUN/events",
                "/api/v1/runs/01JRUN/progress", "/api/v1/runs/01JRUN/shared/k", "/api/v1/runs/01JRUN/children"}) {
            assertThatCode(() -> RunTokenScope.check("POST", path, Access.CALLBACK, RUN)).doesNotThrowAnyException();
        }
        assertThatCode(() -> RunTokenScope.check("GET", "/api/v1/runs/01JRUN", Access.VIEWER, RUN)).doesNotThrowAnyException();
    }

    @Test
    void aRunTokenIsRefusedOtherRunsAndEveryOtherRoute() {
        assertThatThrownBy(() -> RunTokenScope.check("POST", "/api/v1/runs/01JOTHER/status", Access.CALLBACK, RUN))
                .hasMessageContaining("belongs to run 01JRUN").hasMessageContaining("not on run 01JOTHER")
                .satisfies(e -> assertThat(((ApiError) e).status).isEqualTo(403));
        assertThatThrownBy(() -> RunTokenScope.check("GET", "/api/v1/runs/01JOTHER", Access.VIEWER, RUN))
                .hasMessageContaining("not on run 01JOTHER");
        for (String[] route : new String[][]{{"GET", "/api/v1/runs"}, {"GET", "/api/v1/runs/01JRUN/events"},
                {"GET", "/api/v1/runs/01JRUN/output"}, {"POST", "/api/v1/runs/01JRUN/cancel"},
                {"POST", "/api/v1/runs/01JRUN/messages"}, {"POST", "/api/v1/scripts"}, {"GET", "/api/v1/tokens"},
                {"GET", "/api/v1/nodes"}, {"POST", "/api/v1/runs"}}) {
            Access needed = route[0].equals("GET") ? Access.VIEWER : Access.OPERATOR;
            assertThatThrownBy(() -> RunTokenScope.check(route[0], route[1], needed, RUN))
                    .as(route[0] + " " + route[1]).isInstanceOf(ApiError.class)
                    .hasMessageContaining("needs a person's token");
        }
    }

    @Test
    void callbackRoutesTakeOperatorsAndRunTokensOnly() {
        assertThat(Access.CALLBACK.grantedTo(Access.RUN)).isTrue();
        assertThat(Access.CALLBACK.grantedTo(Access.OPERATOR)).isTrue();
        assertThat(Access.CALLBACK.grantedTo(Access.ADMIN)).isTrue();
        assertThat(Access.CALLBACK.grantedTo(Access.VIEWER)).isFalse();
        assertThat(Access.CALLBACK.grantedTo(Access.AGENT)).isFalse();
        for (Access route : new Access[]{Access.VIEWER, Access.OPERATOR, Access.ADMIN, Access.AGENT}) {
            assertThat(route.grantedTo(Access.RUN)).as(route.name()).isFalse();
        }
        assertThat(Access.PUBLIC.grantedTo(Access.RUN)).isTrue();
    }

    @Test
    void noStoredTokenCanHaveTheRunOrCallbackRole() {
        assertThatThrownBy(() -> Access.ofRole("run")).hasMessageContaining("use viewer, operator, admin or agent");
        assertThatThrownBy(() -> Access.ofRole("callback")).hasMessageContaining("use viewer, operator, admin or agent");
        assertThat(Access.ofRole("Operator")).isEqualTo(Access.OPERATOR);
    }
}
