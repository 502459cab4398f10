package io.steward.store;

import io.steward.coordination.Coordination;
import io.steward.coordination.LocalCoordination;

/** The contract on one primary's state in memory: what {@link SharedCoordination} must match. */
class LocalCoordinationContractTest extends CoordinationContractTest {
    private final LocalCoordination coordination = LocalCoordination.inMemory();

    @Override
    Coordination coordination() {
        return coordination;
    }
}
