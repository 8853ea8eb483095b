package org.apache.texera.gateway.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputingUnitsSpec {

    @JsonPropertyDescription("Namespace where Texera creates computing-unit pods. Default: texera-workflow-computing-unit-pool. "
            + "Another namespace than the TexeraGateway's must consent with the label admit.texera.apache.org/<this "
            + "TexeraGateway's namespace>: \"true\" before the operator writes there.")
    @Pattern(Patterns.DNS_LABEL)
    @Size(max = 63)
    private String namespace;

    @JsonPropertyDescription("Labels a pod must carry to be a computing unit of this TexeraGateway. Default: type: computing-unit.")
    @Size(min = 1, max = 8)
    @ValidationRule(value = "self.all(k, k.size() <= 316 && k.matches('" + Patterns.LABEL_KEY + "'))",
            message = "podSelector keys must be label keys")
    @ValidationRule(value = "self.all(k, self[k].size() <= 63 && self[k].matches('" + Patterns.LABEL_VALUE + "'))",
            message = "podSelector values must be label values")
    private Map<String, @Size(max = 63) String> podSelector;

    @JsonPropertyDescription("Pod label that holds the unit id (a positive integer). Default: cuid.")
    @Pattern(Patterns.LABEL_KEY)
    @Size(max = 316)
    private String idLabel;

    @JsonPropertyDescription("Container port the unit serves HTTP and WebSocket on. Default: 8085.")
    @Min(1)
    @Max(65535)
    private Integer port;

    @JsonPropertyDescription("Query parameter that carries the unit id in browser requests. Default: cuid.")
    @Pattern(Patterns.QUERY_PARAM)
    @Size(max = 256)
    private String queryParameter;

    @JsonPropertyDescription("Request timeout of unit routes. Default: \"0s\" (none), so WebSockets, stats and exports "
            + "are never cut off by Envoy's 15s default.")
    @Pattern(Patterns.DURATION)
    private String timeout;

    @JsonPropertyDescription("Requests that reach a unit when they carry ?<queryParameter>=<id>. Default: /wsapi, the stats path "
            + "/api/executions/<wid>/stats/<eid>, /api/executions/result/export and /api/pve.")
    @Size(min = 1, max = 32)
    private List<UnitPathMatch> queryMatches;

    @JsonPropertyDescription("Path prefixes followed by the unit id in the path itself: <prefix>/<id> and below reach "
            + "the unit. Default: /api/pve/pves and /api/pve.")
    @Size(max = 16)
    @ValidationRule(value = Patterns.PATH_CEL, message = "a path prefix must not contain //, /./, /../ or an encoded slash")
    private List<@Pattern(Patterns.PATH) @Size(max = 256) String> idPathPrefixes;

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Map<String, String> getPodSelector() {
        return podSelector;
    }

    public void setPodSelector(Map<String, String> podSelector) {
        this.podSelector = podSelector;
    }

    public String getIdLabel() {
        return idLabel;
    }

    public void setIdLabel(String idLabel) {
        this.idLabel = idLabel;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getQueryParameter() {
        return queryParameter;
    }

    public void setQueryParameter(String queryParameter) {
        this.queryParameter = queryParameter;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public List<UnitPathMatch> getQueryMatches() {
        return queryMatches;
    }

    public void setQueryMatches(List<UnitPathMatch> queryMatches) {
        this.queryMatches = queryMatches;
    }

    public List<String> getIdPathPrefixes() {
        return idPathPrefixes;
    }

    public void setIdPathPrefixes(List<String> idPathPrefixes) {
        this.idPathPrefixes = idPathPrefixes;
    }
}
