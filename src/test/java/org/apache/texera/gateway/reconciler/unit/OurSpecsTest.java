package org.apache.texera.gateway.reconciler.unit;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.texera.gateway.kube.ObjectKey;
import org.junit.jupiter.api.Test;

/**
 * The orders in which the informer files versions and a reconcile records its write, as the store's lock allows them.
 * OURS is the spec we write, FOREIGN another writer's.
 */
class OurSpecsTest {
    private static final ObjectKey ROUTE = new ObjectKey("HTTPRoute", "pool", "cu-1");
    private static final String OURS = "ours";
    private static final String FOREIGN = "foreign";
    private static final String FOREIGN_AGAIN = "foreign-again";

    @Test
    void aForeignEditDriftsUntilOurRevertIsSeenWhicheverComesFirst() {
        OurSpecs written = new OurSpecs();
        written.filed(ROUTE, OURS, FOREIGN);
        assertThat(written.drifted(ROUTE, FOREIGN)).isTrue();

        // The revert is filed before the reconcile records it: the reconcile then reads it from the cache.
        written.filed(ROUTE, FOREIGN, OURS);
        written.written(ROUTE, OURS, OURS);
        assertThat(written.drifted(ROUTE, OURS)).as("our own revert is not an edit to revert").isFalse();
        assertThat(written.size()).isZero();

        // The next foreign edit is still one.
        written.filed(ROUTE, OURS, FOREIGN_AGAIN);
        assertThat(written.drifted(ROUTE, FOREIGN_AGAIN)).isTrue();
    }

    @Test
    void aRevertRecordedBeforeTheInformerDeliversItIsClearedByTheDelivery() {
        OurSpecs written = new OurSpecs();
        written.filed(ROUTE, OURS, FOREIGN);
        written.written(ROUTE, OURS, FOREIGN);
        assertThat(written.drifted(ROUTE, OURS)).isFalse();

        written.filed(ROUTE, FOREIGN, OURS);
        assertThat(written.size()).isZero();
    }

    @Test
    void aForeignEditFiledBetweenOurWriteAndItsDeliveryIsStillReverted() {
        OurSpecs written = new OurSpecs();
        written.written(ROUTE, OURS, null); // created; not delivered yet
        written.filed(ROUTE, null, OURS);
        written.filed(ROUTE, OURS, FOREIGN);
        assertThat(written.drifted(ROUTE, FOREIGN)).isTrue();
    }

    @Test
    void ourOwnChangeOfSpecFiledBeforeItIsRecordedIsNotTakenForAForeignEdit() {
        OurSpecs written = new OurSpecs();
        String before = "ours-before-the-gateway-changed";
        // The version before was ours, so no entry; our new spec is filed first, so the one before looks like ours.
        written.filed(ROUTE, before, OURS);
        assertThat(written.drifted(ROUTE, OURS)).isTrue();
        // Until the reconcile records what it wrote, reading it from the cache under the same lock.
        written.written(ROUTE, OURS, OURS);
        assertThat(written.drifted(ROUTE, OURS)).isFalse();
        assertThat(written.size()).isZero();
    }

    @Test
    void aDeletedObjectLeavesNoEntry() {
        OurSpecs written = new OurSpecs();
        written.filed(ROUTE, OURS, FOREIGN);
        written.forget(ROUTE);
        assertThat(written.size()).isZero();
        assertThat(written.drifted(ROUTE, FOREIGN)).as("after a restart or a delete, the first sighting is trusted").isFalse();
    }
}
