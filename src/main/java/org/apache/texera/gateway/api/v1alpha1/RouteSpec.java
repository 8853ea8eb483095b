package org.apache.texera.gateway.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One static route: path prefixes to a Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteSpec {

    @JsonPropertyDescription("Name of the route, unique in the list. The HTTPRoute is called <texeragateway>-<name>. "
            + "Standard names: computing-unit-manager, compiling-service, file-service, config-service, access-control, "
            + "agent-service, y-websocket, python-language-server, webserver.")
    @Required
    @Pattern(Patterns.DNS_LABEL)
    @Size(min = 1, max = 40)
    private String name;

    @JsonPropertyDescription("Whether the route exists. Default: true. Set false to turn a standard route off.")
    private Boolean enabled;

    @JsonPropertyDescription("Path prefixes that select this route, each starting with '/'. The longest matching prefix wins "
            + "across all routes. Required for a route that is not a standard one.")
    @Size(min = 1, max = 8)
    @ValidationRule(value = Patterns.PATH_CEL, message = "a path prefix must not contain //, /./, /../ or an encoded slash")
    private List<@Pattern(Patterns.PATH) @Size(max = 256) String> pathPrefixes;

    @JsonPropertyDescription("The Service the route sends traffic to. Required for a route that is not a standard one.")
    private BackendSpec backend;

    @JsonPropertyDescription("Request timeout, as a Gateway API duration such as 30s or 5m. \"0s\" disables it, as "
            + "long downloads and WebSockets need. Default: Envoy Gateway's 15s, or the standard route's own.")
    @Pattern(Patterns.DURATION)
    private String timeout;

    @JsonPropertyDescription("Send requests that carry the same value of this header to the same backend pod "
            + "(consistent hashing), e.g. X-Agent-Workflow-Id.")
    @Pattern(Patterns.HEADER_NAME)
    @Size(max = 256)
    private String hashHeader;

    @JsonPropertyDescription("Most connections Envoy opens to the backend, across all its pods. Envoy's default is 1024, "
            + "too few for many WebSockets.")
    @Min(1)
    @Max(1000000)
    private Integer maxConnections;

    @JsonPropertyDescription("How long a request stream may stay idle before Envoy closes it, e.g. 1h for WebSockets. "
            + "Default: the listener's streamIdleTimeout.")
    @Pattern(Patterns.DURATION)
    private String idleTimeout;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public BackendSpec getBackend() {
        return backend;
    }

    public void setBackend(BackendSpec backend) {
        this.backend = backend;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getHashHeader() {
        return hashHeader;
    }

    public void setHashHeader(String hashHeader) {
        this.hashHeader = hashHeader;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public String getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(String idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public List<String> getPathPrefixes() {
        return pathPrefixes;
    }

    public void setPathPrefixes(List<String> pathPrefixes) {
        this.pathPrefixes = pathPrefixes;
    }
}
