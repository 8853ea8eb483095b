package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many computing-unit pods of this gateway are in each state. */
public record UnitCounts(
        @JsonPropertyDescription("Units whose Service and HTTPRoute exist: the pod is Ready.") int routed,
        @JsonPropertyDescription("Units whose pod matches but is not Ready yet, or is terminating.") int waiting,
        @JsonPropertyDescription("Pods that match but cannot be routed: a bad id label, a duplicate id, or a claim by "
                + "two TexeraGateways. Each has an Event on the pod.") int rejected) {
}
