package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/vars}: the live variables, by scope and name. */
public record VarList(List<Var> vars) {
}
