package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A path match of a unit route; the unit id comes from the query string. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The path pattern holds a single quote, so the CEL literal around it is double-quoted.
@ValidationRule(value = "(has(self.type) && self.type == 'RegularExpression') || (self.path.matches(\"" + Patterns.PATH
        + "\") && !self.path.contains('//'))", message = "a PathPrefix or Exact path must be an absolute path without //")
public class UnitPathMatch {

    public enum Type {
        PathPrefix, Exact, RegularExpression
    }

    @JsonPropertyDescription("How the path is matched: PathPrefix (default), Exact, or RegularExpression (RE2, as Envoy Gateway supports).")
    private Type type;

    @JsonPropertyDescription("The path, e.g. /wsapi, or /api/executions/[^/]+/stats/[^/]+ for a RegularExpression.")
    @Required
    @Size(min = 1, max = 256)
    private String path;

    @JsonPropertyDescription("Request timeout for this match. Default: computingUnits.timeout.")
    @Pattern(Patterns.DURATION)
    private String timeout;

    public UnitPathMatch() {
    }

    public UnitPathMatch(Type type, String path) {
        this.type = type;
        this.path = path;
    }

    public Type getType() {
        return type;
    }

    public void setType(Type type) {
        this.type = type;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }
}
