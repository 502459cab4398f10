package io.steward.gateway.wire;

import java.util.List;

/** {@code GET /api/v1/tokens}. */
public record TokenList(List<Token> tokens) {
}
