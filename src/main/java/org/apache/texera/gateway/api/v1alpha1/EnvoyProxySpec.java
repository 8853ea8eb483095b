package org.apache.texera.gateway.api.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvoyProxySpec {

    @JsonPropertyDescription("Number of Envoy replicas. Default: Envoy Gateway's (1).")
    @Min(1)
    @Max(100)
    private Integer replicas;

    @JsonPropertyDescription("Type of the Envoy Service: LoadBalancer, NodePort or ClusterIP. Default: Envoy Gateway's (LoadBalancer).")
    private ServiceType serviceType;

    @JsonPropertyDescription("Annotations on the Envoy Service, e.g. service.beta.kubernetes.io/aws-load-balancer-type: nlb.")
    @Size(max = 32)
    @ValidationRule(value = "self.all(k, k.size() <= 316)", message = "annotation keys are at most 316 characters")
    private Map<String, String> serviceAnnotations;

    @JsonPropertyDescription("Annotations on the Envoy pods.")
    @Size(max = 32)
    private Map<String, String> podAnnotations;

    @JsonPropertyDescription("Node selector for the Envoy pods.")
    @Size(max = 16)
    private Map<String, String> nodeSelector;

    public enum ServiceType {
        LoadBalancer, NodePort, ClusterIP
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(ServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public Map<String, String> getServiceAnnotations() {
        return serviceAnnotations;
    }

    public void setServiceAnnotations(Map<String, String> serviceAnnotations) {
        this.serviceAnnotations = serviceAnnotations;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }
}
