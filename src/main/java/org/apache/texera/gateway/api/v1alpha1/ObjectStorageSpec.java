package org.apache.texera.gateway.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectStorageSpec {

    @JsonPropertyDescription("Hostname of the object storage endpoint that browsers use for presigned URLs, e.g. s3.texera.example.com.")
    @Required
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String hostname;

    @JsonPropertyDescription("The MinIO or S3 Service. Default: minio, port 9000, in the TexeraGateway's namespace.")
    private BackendSpec backend;

    @JsonPropertyDescription("Secret with the certificate for the object storage hostname. When set (and spec.tls is set), "
            + "an HTTPS listener serves it, and plain HTTP follows spec.tls.redirectHttp.")
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String tlsSecretName;

    @JsonPropertyDescription("Request timeout. Default: 300s.")
    @Pattern(Patterns.DURATION)
    private String timeout;

    @JsonPropertyDescription("Origins allowed by CORS. Default: the Texera origin, https://<hostname> with TLS or "
            + "http://<hostname> without, and none when spec.hostname is unset.")
    @Size(max = 16)
    private List<@Pattern("^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$") @Size(max = 300) String> corsOrigins;

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public BackendSpec getBackend() {
        return backend;
    }

    public void setBackend(BackendSpec backend) {
        this.backend = backend;
    }

    public String getTlsSecretName() {
        return tlsSecretName;
    }

    public void setTlsSecretName(String tlsSecretName) {
        this.tlsSecretName = tlsSecretName;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public List<String> getCorsOrigins() {
        return corsOrigins;
    }

    public void setCorsOrigins(List<String> corsOrigins) {
        this.corsOrigins = corsOrigins;
    }
}
