package io.steward.gateway.wire;

/** The body of {@code POST /api/v1/tokens}. */
public record CreateToken(String name, @ApiField(description = "viewer, operator, admin or agent") String role,
                          @ApiField(optional = true, description = "when it stops working: an ISO-8601 instant "
                                  + "(2026-12-31T00:00:00Z) or a duration from now (P7D, 7d, 12h); never when absent")
                          String expires,
                          @ApiField(optional = true, description = "a duration from now (7d, 12h, 30m, P7D); "
                                  + "instead of expires") String expiresIn,
                          @ApiField(optional = true, description = "a glob of the script names it may use "
                                  + "(deploy/*, ops/**); every script when absent") String scripts,
                          @ApiField(optional = true, description = "a node selector of the nodes it may invoke runs on "
                                  + "(env=lab, web-*); every node when absent") String nodes) {
}
