package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An object the operator wrote that its controller has not accepted yet, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingObject(
        @JsonPropertyDescription("Kind of the object, e.g. HTTPRoute.") String kind,
        @JsonPropertyDescription("Namespace of the object; empty for cluster-scoped kinds.") String namespace,
        @JsonPropertyDescription("Name of the object.") String name,
        @JsonPropertyDescription("Why it is not accepted, quoting its controller where it said something.") String message) {
}
