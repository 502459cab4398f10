package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code … WHERE id IN (?, ?, …)} over many ids, a bounded number per statement: one query for hundreds of runs
 * instead of a query apiece, without a statement so long that the database plans it slowly or refuses it.
 */
final class InList {
    /** Ids per statement at most. */
    static final int CHUNK = 500;

    private InList() {
    }

    /** {@code ids} cut into lists of at most {@link #CHUNK}, in their order. */
    static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }

    /** {@code (?,?,…)} for {@code n} values (n ≥ 1). */
    static String marks(int n) {
        return "(" + "?,".repeat(n - 1) + "?)";
    }

    /** Binds {@code ids} to the parameters from {@code first} on; returns the next parameter's index. */
    static int bind(PreparedStatement ps, int first, List<String> ids) throws SQLException {
        int i = first;
        for (String id : ids) {
            ps.setString(i++, id);
        }
        return i;
    }
}
