package org.apache.texera.gateway.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TexeraGatewayStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, GatewayProgrammed, RoutesAccepted and PoliciesAccepted. Ready is True only "
            + "when Envoy Gateway has accepted and programmed every object.")
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Addresses of the Gateway, from its status.")
    private List<String> addresses = new ArrayList<>();

    @JsonPropertyDescription("Objects that Envoy Gateway has not (yet) accepted, each with the reason.")
    private List<PendingObject> pending = new ArrayList<>();

    @JsonPropertyDescription("Computing units of this gateway.")
    private UnitCounts units;

    @Override
    public boolean equals(Object o) {
        return o instanceof TexeraGatewayStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions) && Objects.equals(addresses, s.addresses)
                && Objects.equals(pending, s.pending) && Objects.equals(units, s.units);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, addresses, pending, units);
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public List<PendingObject> getPending() {
        return pending;
    }

    public void setPending(List<PendingObject> pending) {
        this.pending = pending;
    }

    public UnitCounts getUnits() {
        return units;
    }

    public void setUnits(UnitCounts units) {
        this.units = units;
    }
}
