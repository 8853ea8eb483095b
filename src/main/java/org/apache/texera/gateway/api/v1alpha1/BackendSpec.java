package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Kubernetes Service and port that traffic is sent to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendSpec {

    @JsonPropertyDescription("Name of the Service.")
    @Required
    @Pattern(Patterns.SERVICE_NAME)
    @Size(max = 63)
    private String service;

    @JsonPropertyDescription("Namespace of the Service. Default: the TexeraGateway's namespace. Another namespace gets a "
            + "ReferenceGrant written by the operator, once that namespace consents with the label "
            + "admit-backends.texera.apache.org/<this TexeraGateway's namespace>: \"true\" (the computing-unit pool's "
            + "admit.texera.apache.org label does not let its Services be backends).")
    @Pattern(Patterns.DNS_LABEL)
    @Size(max = 63)
    private String namespace;

    @JsonPropertyDescription("Port of the Service.")
    @Required
    @Min(1)
    @Max(65535)
    private Integer port;

    public BackendSpec() {
    }

    public BackendSpec(String service, String namespace, Integer port) {
        this.service = service;
        this.namespace = namespace;
        this.port = port;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }
}
