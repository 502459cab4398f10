package io.steward.store;

/**
 * A token just created: the only time its plaintext exists outside its holder. Hand {@link #token()} to the user
 * and drop it; the store keeps only its hash.
 */
public record NewToken(TokenInfo info, String token) {

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "NewToken[" + info + ", token=stw_…]";
    }
}
