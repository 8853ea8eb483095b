package org.apache.texera.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** What the operator's client keeps of a pod it reads, list item or watch event; and that writing is unchanged. */
class PodsReadWithoutSpecTest {
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"computing-unit-7","namespace":"pool","uid":"u-7","labels":{"cuid":"7"}},
             "spec":{"containers":[{"name":"computing-unit-master","image":"texera/cu",
                                    "env":[{"name":"JWT_SECRET","value":"s3cret"}]}]},
             "status":{"phase":"Running","podIP":"10.0.0.7",
                       "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-03T07:00:00Z"}],
                       "containerStatuses":[{"name":"computing-unit-master","ready":true,"restartCount":0}]}}""";

    private final KubernetesSerialization operators = serialization(true);
    private final KubernetesSerialization plain = serialization(false);

    private static KubernetesSerialization serialization(boolean customized) {
        ObjectMapper mapper = new ObjectMapper();
        if (customized) {
            new PodsReadWithoutSpec().customize(mapper);
        }
        return new KubernetesSerialization(mapper, true);
    }

    @Test
    void aPodIsReadWithoutItsSpecOrContainerStatuses() {
        Pod pod = operators.unmarshal(POD, Pod.class);

        assertThat(pod.getSpec()).isNull();
        assertThat(pod.getStatus().getContainerStatuses()).isNullOrEmpty();
        assertThat(pod.getAdditionalProperties()).isEmpty();
        assertThat(pod.getStatus().getAdditionalProperties()).isEmpty();
        assertThat(operators.asJson(pod)).doesNotContain("s3cret");
        // What the unit controller reads is all there.
        assertThat(pod.getMetadata().getUid()).isEqualTo("u-7");
        assertThat(pod.getMetadata().getLabels()).containsEntry("cuid", "7");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-03T07:00:00Z"));
        // The same bytes through an uncustomized mapper keep them: the test can tell.
        assertThat(plain.unmarshal(POD, Pod.class).getSpec().getContainers()).isNotEmpty();
    }

    @Test
    void aWatchEventsPodIsReadTheSameWay() {
        WatchEvent event = operators.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + POD + "}", WatchEvent.class);

        assertThat(event.getObject()).isInstanceOfSatisfying(Pod.class, pod -> {
            assertThat(pod.getSpec()).isNull();
            assertThat(pod.getStatus().getConditions()).hasSize(1);
        });
    }

    @Test
    void aPodIsWrittenWhole() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer()
                .withName("c").endContainer().endSpec().withNewStatus().addNewContainerStatus().withName("c")
                .endContainerStatus().endStatus().build();

        assertThat(operators.asJson(pod)).isEqualTo(plain.asJson(pod)).contains("\"containers\"", "\"containerStatuses\"");
    }
}
