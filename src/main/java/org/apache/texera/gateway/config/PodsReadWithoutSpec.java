package org.apache.texera.gateway.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The operator's client never reads a pod's spec, nor its container statuses: the unit controller needs a pod's
 * metadata, phase and Ready condition only. The spec's env carries Texera's secrets, so they are skipped in the bytes
 * instead of being built into objects and pruned afterwards. Skipping them also spares building Jackson's
 * deserializers for the whole PodSpec graph on the pod informer's first list, about 0.2 s of CPU at every start
 * (docs/benchmarks.md). Writing is unchanged ({@code allowGetters}); the operator never writes a pod.
 */
@Singleton
public class PodsReadWithoutSpec implements KubernetesClientObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(Pod.class, PodFields.class);
        mapper.addMixIn(PodStatus.class, PodStatusFields.class);
    }

    @RegisterForReflection
    @JsonIgnoreProperties(value = "spec", allowGetters = true)
    abstract static class PodFields {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(value = { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses",
            "resourceClaimStatuses" }, allowGetters = true)
    abstract static class PodStatusFields {
    }
}
