package org.apache.texera.gateway.reconciler.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

class CompactObjectTest {

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("computing-unit-7").withNamespace("pool")
                .withUid("11111111-2222-3333-4444-555555555555").withResourceVersion("42")
                .withCreationTimestamp("2026-12-02T00:00:00Z").withLabels(Map.of("type", "computing-unit", "cuid", "7"))
                .withAnnotations(Map.of("texera/secret-hint", "x")).endMetadata()
                .withNewSpec().addNewContainer().withName("master").addNewEnv().withName("PASSWORD").withValue("s3cret")
                .endEnv().endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2026-12-02T00:00:01Z")
                .endCondition().endStatus().build();
    }

    @Test
    void aPodKeepsWhatRoutingReadsAndNeverItsSpecOrAnnotations() {
        Pod cached = CompactObject.ofPod(pod()).expandPod();

        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(cached.getMetadata().getName()).isEqualTo("computing-unit-7");
        assertThat(cached.getMetadata().getUid()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(cached.getMetadata().getCreationTimestamp()).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(cached.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("type", "computing-unit", "cuid", "7"));
        assertThat(cached.getStatus().getPhase()).isEqualTo("Running");
        assertThat(cached.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-02T00:00:01Z");
        });
    }

    @Test
    void aPodWithoutStatusStaysWithoutStatus() {
        Pod noStatus = new PodBuilder(pod()).withStatus(null).build();

        assertThat(CompactObject.ofPod(noStatus).expandPod().getStatus()).isNull();
    }

    @Test
    void eachReadIsAFreshMutableObject() {
        CompactObject compact = CompactObject.ofPod(pod());
        Pod first = compact.expandPod();
        first.getMetadata().getLabels().put("cuid", "8");

        assertThat(compact.expandPod().getMetadata().getLabels()).containsEntry("cuid", "7");
    }

    @Test
    void aUnitObjectKeepsItsOwnersAndDigestAndSharesThePodsStrings() {
        Pod pod = pod();
        Service service = new ServiceBuilder().withNewMetadata().withName("texera-cu-7").withNamespace(new String("pool"))
                .withUid("99999999-2222-3333-4444-555555555555").withResourceVersion("43")
                .withLabels(Map.of("texera.apache.org/unit-id", new String("7")))
                .withAnnotations(Map.of("texera.apache.org/desired-hash", "abc"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withName(new String("computing-unit-7")).withUid(new String(pod.getMetadata().getUid()))
                        .withController(false).build())
                .endMetadata().withNewSpec().withClusterIP("None").endSpec().build();

        CompactObject podCompact = CompactObject.ofPod(pod);
        CompactObject serviceCompact = CompactObject.of(service, "digest");
        Service cached = serviceCompact.expand(new Service());

        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getAdditionalProperties()).containsEntry(UnitObjectCache.OBSERVED_SPEC, "digest");
        assertThat(cached.getMetadata().getAnnotations()).containsEntry("texera.apache.org/desired-hash", "abc");
        assertThat(cached.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Pod");
            assertThat(o.getController()).isFalse();
            assertThat(o.getUid()).isEqualTo(pod.getMetadata().getUid());
        });
        // Interned: the owner's uid and name, the namespace and the unit id are the pod's own String instances.
        assertThat(serviceCompact.owners()[0].uid()).isSameAs(podCompact.uid());
        assertThat(serviceCompact.owners()[0].name()).isSameAs(podCompact.name());
        assertThat(serviceCompact.namespace()).isSameAs(podCompact.namespace());
        assertThat(serviceCompact.label("texera.apache.org/unit-id")).isSameAs(podCompact.label("cuid"));
    }
}
