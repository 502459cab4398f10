package io.steward.nodes;

/** An agent may not join or a frame is refused; {@code code} goes into the link's {@code error} frame. */
final class LinkRefusedException extends RuntimeException {
    final String code;

    LinkRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }
}
