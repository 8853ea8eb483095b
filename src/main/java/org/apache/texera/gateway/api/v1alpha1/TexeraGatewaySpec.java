package org.apache.texera.gateway.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.tls) || !(has(self.tls.issuer) || has(self.tls.clusterIssuer)) || has(self.hostname)",
        message = "tls.issuer and tls.clusterIssuer need spec.hostname: cert-manager issues certificates for a listener hostname")
@ValidationRule(value = "!has(self.objectStorage) || !has(self.hostname) || self.objectStorage.hostname != self.hostname",
        message = "objectStorage.hostname must differ from spec.hostname")
@ValidationRule(value = "!has(self.objectStorage) || !has(self.objectStorage.tlsSecretName) || has(self.tls)",
        message = "objectStorage.tlsSecretName needs spec.tls: the object storage HTTPS listener follows the main one")
public class TexeraGatewaySpec {

    @JsonPropertyDescription("Hostname that browsers use for Texera, e.g. texera.example.com. The http and https listeners "
            + "accept only this host. When unset they accept any host, and cert-manager cannot be used.")
    @Pattern(Patterns.HOSTNAME)
    @Size(max = 253)
    private String hostname;

    @JsonPropertyDescription("The GatewayClass the Gateway uses. Default: the existing class `eg`.")
    private GatewayClassSpec gatewayClass;

    @JsonPropertyDescription("Settings for the Envoy proxy fleet of this Gateway. When set, the operator writes an EnvoyProxy "
            + "and points the Gateway at it through infrastructure.parametersRef.")
    private EnvoyProxySpec envoyProxy;

    @JsonPropertyDescription("HTTPS for the Texera hostname. When unset, only the http listener (port 80) exists.")
    private TlsSpec tls;

    @JsonPropertyDescription("Whether Texera's standard route table is the starting point for `routes`. Default: true. "
            + "Set false to list every static route yourself.")
    private Boolean defaultRoutes;

    @JsonPropertyDescription("Static routes, merged by name over Texera's standard table: an entry with a standard name "
            + "overrides only the fields it sets (`enabled: false` turns it off); any other name adds a route.")
    @Size(max = 32)
    @ValidationRule(value = "self.all(r, self.exists_one(s, s.name == r.name))", message = "route names must be unique")
    @ValidationRule(value = "self.all(r, !has(r.pathPrefixes) || r.pathPrefixes.all(p, "
            + "self.exists_one(s, has(s.pathPrefixes) && p in s.pathPrefixes)))",
            message = "a path prefix may appear in only one route")
    private List<RouteSpec> routes = new ArrayList<>();

    @JsonPropertyDescription("The object storage (MinIO or S3) host route. When set, the Gateway gets listeners for its own "
            + "hostname, with no body limit, a long timeout and CORS for the Texera origin.")
    private ObjectStorageSpec objectStorage;

    @JsonPropertyDescription("Where Texera's computing-unit pods run and how each ready unit is routed.")
    private ComputingUnitsSpec computingUnits;

    @JsonPropertyDescription("The external authorization that guards every computing-unit route. It fails closed.")
    private AuthSpec auth;

    @JsonPropertyDescription("Listener timeouts, written as the Gateway's ClientTrafficPolicy.")
    private TimeoutsSpec timeouts;

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public GatewayClassSpec getGatewayClass() {
        return gatewayClass;
    }

    public void setGatewayClass(GatewayClassSpec gatewayClass) {
        this.gatewayClass = gatewayClass;
    }

    public EnvoyProxySpec getEnvoyProxy() {
        return envoyProxy;
    }

    public void setEnvoyProxy(EnvoyProxySpec envoyProxy) {
        this.envoyProxy = envoyProxy;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }

    public Boolean getDefaultRoutes() {
        return defaultRoutes;
    }

    public void setDefaultRoutes(Boolean defaultRoutes) {
        this.defaultRoutes = defaultRoutes;
    }

    public List<RouteSpec> getRoutes() {
        return routes;
    }

    public void setRoutes(List<RouteSpec> routes) {
        this.routes = routes;
    }

    public ObjectStorageSpec getObjectStorage() {
        return objectStorage;
    }

    public void setObjectStorage(ObjectStorageSpec objectStorage) {
        this.objectStorage = objectStorage;
    }

    public ComputingUnitsSpec getComputingUnits() {
        return computingUnits;
    }

    public void setComputingUnits(ComputingUnitsSpec computingUnits) {
        this.computingUnits = computingUnits;
    }

    public AuthSpec getAuth() {
        return auth;
    }

    public void setAuth(AuthSpec auth) {
        this.auth = auth;
    }

    public TimeoutsSpec getTimeouts() {
        return timeouts;
    }

    public void setTimeouts(TimeoutsSpec timeouts) {
        this.timeouts = timeouts;
    }
}
