package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayClassSpec {

    @JsonPropertyDescription("Name of the GatewayClass. Default: eg, the class Envoy Gateway's quickstart installs.")
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("When true, the operator creates this GatewayClass for Envoy Gateway's controller "
            + "(gateway.envoyproxy.io/gatewayclass-controller) and removes it with the TexeraGateway, if the operator's "
            + "administrator allows cluster-scoped writes (texera.operator.allow-cluster-scoped-writes); else the status "
            + "says so. Default: false.")
    private Boolean create;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getCreate() {
        return create;
    }

    public void setCreate(Boolean create) {
        this.create = create;
    }
}
