package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/**
 * The CRD schema of one status condition. The status holds fabric8's {@code Condition}, which carries no
 * descriptions; this class exists only so that {@code kubectl explain} documents every field of it.
 */
public final class ConditionSchema {

    @JsonPropertyDescription("Ready, GatewayProgrammed, RoutesAccepted or PoliciesAccepted.")
    @Required
    public String type;

    @JsonPropertyDescription("True, False or Unknown.")
    @Required
    public String status;

    @JsonPropertyDescription("A CamelCase word for why, e.g. Programmed, NotAccepted, InvalidSpec, CRDsMissing.")
    public String reason;

    @JsonPropertyDescription("What is wrong or right, for a person: it names the object and quotes its controller.")
    public String message;

    @JsonPropertyDescription("The metadata.generation of the TexeraGateway this condition was computed for.")
    public Long observedGeneration;

    @JsonPropertyDescription("When the status last changed (RFC 3339).")
    public String lastTransitionTime;

    private ConditionSchema() {
    }
}
