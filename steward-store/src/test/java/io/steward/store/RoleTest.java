package io.steward.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTest {

    @Test
    void peoplesRolesAreOrderedAndTheAgentRoleStandsApart() {
        assertThat(Role.VIEWER.allows(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.allows(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.allows(Role.VIEWER)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
        assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.ADMIN.allows(Role.AGENT)).isFalse();
        assertThat(Role.AGENT.allows(Role.AGENT)).isTrue();
        assertThat(Role.AGENT.allows(Role.VIEWER)).isFalse();
    }

    @Test
    void rolesParseInAnyCaseAndUnknownOnesNameTheChoices() {
        assertThat(Role.parse("Operator")).isEqualTo(Role.OPERATOR);
        assertThat(Role.ADMIN.key()).isEqualTo("admin");
        assertThatThrownBy(() -> Role.parse("root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("viewer, operator, admin, agent");
    }
}
