package org.apache.texera.gateway.apiserver;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Installs the chart (release {@value #RELEASE} in {@value #NAMESPACE}, watching {@value #GATEWAYS} and its pool
 * {@value #POOL}) and points the operator under test at the real API server as the release's ServiceAccount, with a
 * token minted for it and the configuration the installed Deployment's environment carries: what a pod of that
 * Deployment would run with, had the cluster a kubelet. Uninstalls the release when the application stops.
 */
public class HelmInstalledOperatorResource implements QuarkusTestResourceLifecycleManager {
    static final String RELEASE = "tgo-run";
    static final String NAMESPACE = "helm-run-operator";
    static final String GATEWAYS = "helm-run";
    static final String POOL = "helm-run-pool";
    /** The chart's fullname for this release: {@code <release>-texera-gateway-operator}. */
    static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + RELEASE + "-texera-gateway-operator";
    /** The container env the chart writes, and the Quarkus property each one sets. */
    private static final Map<String, String> PROPERTIES = Map.of(
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_TEXERAGATEWAY_NAMESPACES", "quarkus.operator-sdk.controllers.texeragateway.namespaces",
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_COMPUTINGUNIT_NAMESPACES", "quarkus.operator-sdk.controllers.computingunit.namespaces",
            "TEXERA_OPERATOR_POOL_NAMESPACES", "texera.operator.pool-namespaces",
            "QUARKUS_LOG_CATEGORY__ORG_APACHE_TEXERA__LEVEL", "quarkus.log.category.\"org.apache.texera\".level");

    private OperatorHelmRelease release;

    @Override
    public Map<String, String> start() {
        ApiServerKit kit = ApiServerKit.get();
        kit.namespace(GATEWAYS);
        kit.namespace(POOL);
        release = OperatorHelmRelease.install(kit, RELEASE, NAMESPACE, """
                watchNamespaces:
                  texeraGateways: [%s]
                  computingUnits: [%s]
                log:
                  operatorLevel: DEBUG
                """.formatted(GATEWAYS, POOL));
        if (!release.user().equals(USER)) {
            throw new IllegalStateException("the release runs as " + release.user() + ", not " + USER);
        }
        Map<String, String> config = new HashMap<>();
        release.env().forEach((name, value) -> {
            String property = PROPERTIES.get(name);
            if (property == null) {
                throw new IllegalStateException("the chart sets " + name + ", which this test does not pass on");
            }
            config.put(property, value);
        });
        config.put("quarkus.kubernetes-client.api-server-url", kit.apiServerUrl());
        config.put("quarkus.kubernetes-client.token", release.token());
        config.put("quarkus.kubernetes-client.trust-certs", "true");
        // In a pod the client's namespace is the ServiceAccount's; JOSDK puts the leader Lease there.
        config.put("quarkus.kubernetes-client.namespace", NAMESPACE);
        return config;
    }

    @Override
    public void stop() {
        if (release != null) {
            release.uninstall();
        }
    }
}
