package org.apache.texera.gateway.model;

import static org.apache.texera.gateway.model.TestGateways.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.model.UnitModel.UnitPod;
import org.apache.texera.gateway.model.UnitRouting.Decision;
import org.apache.texera.gateway.model.UnitRouting.NotSelected;
import org.apache.texera.gateway.model.UnitRouting.PodFacts;
import org.apache.texera.gateway.model.UnitRouting.Reject;
import org.apache.texera.gateway.model.UnitRouting.RejectReason;
import org.apache.texera.gateway.model.UnitRouting.Route;
import org.apache.texera.gateway.model.UnitRouting.Wait;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class UnitRoutingTest {
    private static final String POOL = "texera-workflow-computing-unit-pool";
    private static final EffectiveSpec SPEC = resolve("{}");

    private static PodFacts unit(String name, String cuid, String created) {
        return new PodFacts(POOL, name, "uid-" + name, Map.of("type", "computing-unit", "cuid", cuid), true, false, created);
    }

    private static PodFacts notReady(PodFacts pod) {
        return new PodFacts(pod.namespace(), pod.name(), pod.uid(), pod.labels(), false, pod.terminating(),
                pod.creationTimestamp());
    }

    private static PodFacts terminating(PodFacts pod) {
        return new PodFacts(pod.namespace(), pod.name(), pod.uid(), pod.labels(), pod.ready(), true, pod.creationTimestamp());
    }

    private static Decision decide(PodFacts pod, Collection<PodFacts> pool) {
        return UnitRouting.decide(SPEC, pod, pool, 1);
    }

    @Test
    void aReadySelectedPodWithAGoodIdIsRouted() {
        PodFacts pod = unit("computing-unit-7", "7", "2026-03-01T10:00:00Z");

        assertThat(decide(pod, List.of(pod))).isEqualTo(new Route(new UnitPod("computing-unit-7", "uid-computing-unit-7", 7)));
    }

    @Test
    void aPodThatIsNotReadyWaits() {
        PodFacts pod = notReady(unit("computing-unit-7", "7", "2026-03-01T10:00:00Z"));

        assertThat(decide(pod, List.of(pod))).isEqualTo(new Wait(7));
    }

    @Test
    void aReadyPodThatIsTerminatingWaits() {
        PodFacts pod = terminating(unit("computing-unit-7", "7", "2026-03-01T10:00:00Z"));

        assertThat(decide(pod, List.of(pod))).isEqualTo(new Wait(7));
    }

    @Test
    void aPodInAnotherNamespaceIsNotSelected() {
        PodFacts pod = new PodFacts("default", "computing-unit-7", "u", Map.of("type", "computing-unit", "cuid", "7"), true,
                false, "2026-03-01T10:00:00Z");

        assertThat(decide(pod, List.of(pod))).isEqualTo(new NotSelected());
    }

    @Test
    void aPodWithoutTheSelectorLabelsIsNotSelectedEvenWithABadId() {
        PodFacts pod = new PodFacts(POOL, "worker", "u", Map.of("type", "worker", "cuid", "abc"), true, false, null);

        assertThat(decide(pod, List.of(pod))).isEqualTo(new NotSelected());
    }

    @Test
    void aPodMustCarryEveryLabelOfTheSelector() {
        EffectiveSpec spec = resolve("computingUnits: {podSelector: {app: texera, role: unit}}");
        PodFacts half = new PodFacts(POOL, "p", "u", Map.of("app", "texera", "cuid", "1"), true, false, null);
        PodFacts both = new PodFacts(POOL, "p", "u", Map.of("app", "texera", "role", "unit", "cuid", "1", "x", "y"), true,
                false, null);

        assertThat(UnitRouting.selects(spec.units(), half)).isFalse();
        assertThat(UnitRouting.selects(spec.units(), both)).isTrue();
    }

    @Test
    void aBadIdIsRejectedWithItsReasonAndThePodName() {
        PodFacts pod = unit("computing-unit-x", "-3", "2026-03-01T10:00:00Z");

        assertThat(decide(pod, List.of(pod)))
                .isEqualTo(new Reject(RejectReason.NotPositive,
                        "pod computing-unit-x has a cuid label that is not positive: \"-3\""));
    }

    @Test
    void aMissingIdIsRejected() {
        PodFacts pod = new PodFacts(POOL, "computing-unit-x", "u", Map.of("type", "computing-unit"), true, false, null);

        assertThat(decide(pod, List.of(pod))).isEqualTo(new Reject(RejectReason.MissingId, "pod computing-unit-x has no cuid label"));
    }

    @Test
    void everyIdRejectionHasARejectReasonOfTheSameName() {
        for (UnitId.Rejection rejection : UnitId.Rejection.values()) {
            assertThat(RejectReason.valueOf(rejection.name())).isNotNull();
        }
    }

    @Test
    void aPodThatTwoGatewaysSelectIsRejectedBeforeItsIdIsRead() {
        PodFacts good = unit("computing-unit-7", "7", "2026-03-01T10:00:00Z");
        PodFacts bad = unit("computing-unit-x", "abc", "2026-03-01T10:00:00Z");

        assertThat(UnitRouting.decide(SPEC, good, List.of(good), 2)).isEqualTo(new Reject(RejectReason.ClaimedByTwoGateways,
                "pod computing-unit-7 matches 2 TexeraGateways; none routes it until only one selects it"));
        assertThat(UnitRouting.decide(SPEC, bad, List.of(bad), 2)).extracting(d -> ((Reject) d).reason())
                .isEqualTo(RejectReason.ClaimedByTwoGateways);
    }

    @Test
    void theOldestPodOfAnIdKeepsTheRouteAndTheNewerIsRejected() {
        // The newer pod's name sorts first: age decides, not the name.
        PodFacts older = unit("computing-unit-5-b", "5", "2026-03-01T10:00:00Z");
        PodFacts newer = unit("computing-unit-5-a", "5", "2026-03-01T11:00:00Z");
        List<PodFacts> pool = List.of(newer, older);

        assertThat(decide(older, pool)).isInstanceOf(Route.class);
        assertThat(decide(newer, pool)).isEqualTo(new Reject(RejectReason.DuplicateId,
                "pod computing-unit-5-a claims unit 5, which older pod computing-unit-5-b already has"));
    }

    @Test
    void podsOfTheSameAgeAreOrderedByName() {
        PodFacts first = unit("computing-unit-5-a", "5", "2026-03-01T10:00:00Z");
        PodFacts second = unit("computing-unit-5-b", "5", "2026-03-01T10:00:00Z");
        List<PodFacts> pool = List.of(second, first);

        assertThat(decide(first, pool)).isInstanceOf(Route.class);
        assertThat(decide(second, pool)).isInstanceOf(Reject.class);
    }

    @Test
    void aPodWithoutACreationTimeCountsAsTheNewest() {
        PodFacts dated = unit("computing-unit-5-b", "5", "2026-03-01T10:00:00Z");
        PodFacts undated = unit("computing-unit-5-a", "5", null);
        List<PodFacts> pool = List.of(undated, dated);

        assertThat(decide(dated, pool)).isInstanceOf(Route.class);
        assertThat(decide(undated, pool)).isInstanceOf(Reject.class);
    }

    @Test
    void aTerminatingOlderPodNoLongerHoldsTheId() {
        PodFacts leaving = terminating(unit("computing-unit-9-old", "9", "2026-03-01T08:00:00Z"));
        PodFacts replacement = unit("computing-unit-9", "9", "2026-03-01T12:00:00Z");
        List<PodFacts> pool = List.of(leaving, replacement);

        assertThat(decide(replacement, pool)).isInstanceOf(Route.class);
        assertThat(decide(leaving, pool)).isEqualTo(new Wait(9));
    }

    @Test
    void anOlderPodThatIsNotReadyYetStillHoldsTheId() {
        PodFacts starting = notReady(unit("computing-unit-5-b", "5", "2026-03-01T10:00:00Z"));
        PodFacts newer = unit("computing-unit-5-a", "5", "2026-03-01T11:00:00Z");
        List<PodFacts> pool = List.of(starting, newer);

        assertThat(decide(starting, pool)).isEqualTo(new Wait(5));
        assertThat(decide(newer, pool)).isInstanceOf(Reject.class);
    }

    @Test
    void olderPodsWithOtherIdsOrOutsideTheSelectionDoNotCount() {
        PodFacts pod = unit("computing-unit-5", "5", "2026-03-01T12:00:00Z");
        PodFacts otherId = unit("computing-unit-6", "6", "2026-03-01T08:00:00Z");
        PodFacts otherNamespace = new PodFacts("default", "computing-unit-5", "u1", Map.of("type", "computing-unit", "cuid",
                "5"), true, false, "2026-03-01T08:00:00Z");
        PodFacts notAUnit = new PodFacts(POOL, "worker-5", "u2", Map.of("type", "worker", "cuid", "5"), true, false,
                "2026-03-01T08:00:00Z");

        assertThat(decide(pod, List.of(otherId, otherNamespace, notAUnit))).isInstanceOf(Route.class);
    }

    @Test
    void thePoolNeedNotContainThePodItself() {
        PodFacts pod = unit("computing-unit-7", "7", "2026-03-01T10:00:00Z");

        assertThat(decide(pod, List.of())).isInstanceOf(Route.class);
    }

    @Test
    void podFactsReadReadyTerminationAndLabelsFromThePod() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(POOL).withName("computing-unit-7").withUid("u7")
                .withCreationTimestamp("2026-03-01T10:00:00Z").withDeletionTimestamp("2026-03-01T11:00:00Z")
                .addToLabels("cuid", "7").endMetadata()
                .withNewStatus().addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();

        assertThat(PodFacts.of(pod)).isEqualTo(new PodFacts(POOL, "computing-unit-7", "u7", Map.of("cuid", "7"), true, true,
                "2026-03-01T10:00:00Z"));
    }

    @Test
    void aPodWithoutStatusOrLabelsIsNotReadyAndHasNoLabels() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(POOL).withName("p").endMetadata().build();

        PodFacts facts = PodFacts.of(pod);

        assertThat(facts.ready()).isFalse();
        assertThat(facts.terminating()).isFalse();
        assertThat(facts.labels()).isEmpty();
    }

    @Test
    void aReadyConditionThatIsFalseIsNotReady() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(POOL).withName("p").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition().endStatus().build();

        assertThat(PodFacts.of(pod).ready()).isFalse();
    }
}
