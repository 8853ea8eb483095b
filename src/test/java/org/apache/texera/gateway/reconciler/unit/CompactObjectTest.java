package org.apache.texera.gateway.reconciler.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.texera.gateway.kube.ObjectWriter;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMeta;
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

    private static Service service(Pod owner) {
        return new ServiceBuilder().withNewMetadata().withName("texera-cu-7").withNamespace(new String("pool"))
                .withUid("99999999-2222-3333-4444-555555555555").withResourceVersion("43")
                .withLabels(Map.of("texera.apache.org/unit-id", new String("7")))
                .withAnnotations(Map.of(ObjectWriter.DESIRED_HASH, "0123456789abcdef01234567", "note", "kept"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withName(new String("computing-unit-7")).withUid(new String(owner.getMetadata().getUid()))
                        .withController(false).build())
                .endMetadata().withNewSpec().withClusterIP("None").endSpec().build();
    }

    @Test
    void aPodKeepsWhatRoutingReadsAndNeverItsSpecOrAnnotations() {
        Pod cached = CompactPod.of(pod()).expand();

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
    void versionsAndTimesAreKeptAsNumbersWhenTheyAreAndAsTextOtherwise() {
        CompactPod usual = CompactPod.of(pod());
        assertThat(usual.versionText()).isNull();
        assertThat(usual.createdText()).isNull();
        assertThat(usual.readySinceText()).isNull();

        // Opaque resourceVersions and timestamps in other forms (fractions, offsets) come back exactly as written.
        for (String version : new String[] { "0", "007", "abc", "12345678901234567890", "" }) {
            Pod odd = new PodBuilder(pod()).editMetadata().withResourceVersion(version).endMetadata().build();
            assertThat(CompactPod.of(odd).expand().getMetadata().getResourceVersion()).isEqualTo(version);
        }
        for (String time : new String[] { "2026-12-02T00:00:00.5Z", "2026-12-02T01:00:00+01:00", "yesterday" }) {
            Pod odd = new PodBuilder(pod()).editMetadata().withCreationTimestamp(time).endMetadata().build();
            CompactPod compact = CompactPod.of(odd);
            assertThat(compact.expand().getMetadata().getCreationTimestamp()).isEqualTo(time);
            assertThat(compact.createdText()).isEqualTo(time);
        }
        Pod none = new PodBuilder(pod()).editMetadata().withResourceVersion(null).withCreationTimestamp(null).endMetadata().build();
        assertThat(CompactPod.of(none).expand().getMetadata().getResourceVersion()).isNull();
        assertThat(CompactPod.of(none).expand().getMetadata().getCreationTimestamp()).isNull();
    }

    @Test
    void aPodWithoutStatusStaysWithoutStatus() {
        Pod noStatus = new PodBuilder(pod()).withStatus(null).build();

        assertThat(CompactPod.of(noStatus).expand().getStatus()).isNull();
    }

    @Test
    void eachReadIsAFreshMutableObject() {
        CompactPod compact = CompactPod.of(pod());
        Pod first = compact.expand();
        first.getMetadata().getLabels().put("cuid", "8");

        assertThat(compact.expand().getMetadata().getLabels()).containsEntry("cuid", "7");
    }

    @Test
    void aUnitObjectKeepsItsOwnersDigestAndAnnotationsAndSharesThePodsStrings() {
        Pod pod = pod();
        CompactPod podCompact = CompactPod.of(pod);
        CompactObject serviceCompact = CompactObject.of(service(pod), new byte[] { 1, 2, (byte) 0xfe });
        Service cached = serviceCompact.expand(new Service());

        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("43");
        assertThat(cached.getMetadata().getAdditionalProperties()).containsEntry(UnitObjectCache.OBSERVED_SPEC, "0102fe");
        assertThat(cached.getMetadata().getAnnotations())
                .containsExactlyInAnyOrderEntriesOf(Map.of(ObjectWriter.DESIRED_HASH, "0123456789abcdef01234567", "note", "kept"));
        assertThat(serviceCompact.desiredHash()).hasSize(12);
        assertThat(cached.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Pod");
            assertThat(o.getController()).isFalse();
            assertThat(o.getUid()).isEqualTo(pod.getMetadata().getUid());
        });
        assertThat(serviceCompact.podOwnerUids()).containsExactly(pod.getMetadata().getUid());
        // Interned: the owner's uid and name, the namespace and the unit id are the pod's own String instances.
        assertThat(serviceCompact.owners()[0].uid()).isSameAs(podCompact.uid());
        assertThat(serviceCompact.owners()[0].name()).isSameAs(podCompact.name());
        assertThat(serviceCompact.namespace()).isSameAs(podCompact.namespace());
        assertThat(serviceCompact.label("texera.apache.org/unit-id")).isSameAs(podCompact.label("cuid"));
    }

    @Test
    void aUnitsRouteSharesItsServicesLabelAndOwnerArrays() {
        Pod pod = pod();
        CompactObject service = CompactObject.of(service(pod), null);
        Service sameMetadata = service(pod);
        CompactObject route = CompactObject.of(sameMetadata, null).sharingWith(service);
        assertThat(route.labels()).isSameAs(service.labels());
        assertThat(route.owners()).isSameAs(service.owners());

        Service relabelled = new ServiceBuilder(service(pod)).editMetadata().addToLabels("extra", "x").endMetadata().build();
        CompactObject other = CompactObject.of(relabelled, null).sharingWith(service);
        assertThat(other.labels()).isNotSameAs(service.labels()).hasSize(4);
        assertThat(other.owners()).isSameAs(service.owners());
        assertThat(CompactObject.of(relabelled, null).sharingWith(null).labels()).hasSize(4);
    }

    @Test
    void aDesiredHashThatIsNotLowerCaseHexStaysAnAnnotation() {
        Pod pod = pod();
        for (String hash : new String[] { "ABCDEF", "abc", "not-hex", "" }) {
            Service service = new ServiceBuilder(service(pod)).editMetadata()
                    .addToAnnotations(ObjectWriter.DESIRED_HASH, hash).endMetadata().build();
            CompactObject compact = CompactObject.of(service, null);
            assertThat(compact.desiredHash()).isNull();
            assertThat(compact.expand(new Service()).getMetadata().getAnnotations()).containsEntry(ObjectWriter.DESIRED_HASH, hash);
        }
        Service bare = new ServiceBuilder().withMetadata(new ObjectMeta()).build();
        bare.getMetadata().setName("bare");
        assertThat(CompactObject.of(bare, null).expand(new Service()).getMetadata().getAnnotations()).isNullOrEmpty();
    }
}
