package org.apache.texera.gateway.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {

    @JsonPropertyDescription("The one ext-auth Service that decides every unit request. Default: access-control-service-svc, "
            + "port 9096, in the TexeraGateway's namespace.")
    private BackendSpec backend;

    @JsonPropertyDescription("Path prefix of the check: the service is asked <METHOD> <path><original path>?<query>. Default: /api/auth.")
    @Pattern(Patterns.PATH)
    @Size(max = 256)
    private String path;

    @JsonPropertyDescription("Headers of the auth answer that are passed on to the unit. Default: x-user-computing-unit-access, "
            + "x-user-id, x-user-name, x-user-email.")
    @Size(max = 16)
    private List<@Pattern(Patterns.HEADER_NAME) @Size(max = 256) String> headersToBackend;

    @JsonPropertyDescription("Most request-body bytes sent along to the auth service, so tokens in form bodies (the local "
            + "export) are seen. 0 sends no body. Default: 65536.")
    @Min(0)
    @Max(10485760)
    private Integer maxRequestBytes;

    @JsonPropertyDescription("How long a check may take before it fails (closed). Default: 10s.")
    @Pattern(Patterns.DURATION)
    private String timeout;

    public BackendSpec getBackend() {
        return backend;
    }

    public void setBackend(BackendSpec backend) {
        this.backend = backend;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Integer getMaxRequestBytes() {
        return maxRequestBytes;
    }

    public void setMaxRequestBytes(Integer maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public List<String> getHeadersToBackend() {
        return headersToBackend;
    }

    public void setHeadersToBackend(List<String> headersToBackend) {
        this.headersToBackend = headersToBackend;
    }
}
