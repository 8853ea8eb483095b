package org.apache.texera.gateway.apiserver;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the operator under test at the real API server, authenticated as its own ServiceAccount. */
public class RealApiServerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return ApiServerKit.get().operatorClientProperties();
    }

    @Override
    public void stop() {
        // The control plane outlives one Quarkus application: every real-tier class shares it (stopped at JVM exit).
    }
}
