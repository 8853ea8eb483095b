package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.issuer) && has(self.clusterIssuer))", message = "set tls.issuer or tls.clusterIssuer, not both")
public class TlsSpec {

    @JsonPropertyDescription("Secret (kubernetes.io/tls) in the TexeraGateway's namespace that holds the certificate of the "
            + "https listener. cert-manager writes it when an issuer is set.")
    @Required
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String secretName;

    @JsonPropertyDescription("cert-manager Issuer in the TexeraGateway's namespace. Becomes the Gateway annotation cert-manager.io/issuer.")
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String issuer;

    @JsonPropertyDescription("cert-manager ClusterIssuer. Becomes the Gateway annotation cert-manager.io/cluster-issuer.")
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String clusterIssuer;

    @JsonPropertyDescription("When true (the default), plain HTTP requests get a 301 redirect to HTTPS, and the routes "
            + "attach to the https listener only.")
    private Boolean redirectHttp;

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getClusterIssuer() {
        return clusterIssuer;
    }

    public void setClusterIssuer(String clusterIssuer) {
        this.clusterIssuer = clusterIssuer;
    }

    public Boolean getRedirectHttp() {
        return redirectHttp;
    }

    public void setRedirectHttp(Boolean redirectHttp) {
        this.redirectHttp = redirectHttp;
    }
}
