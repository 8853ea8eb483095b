package org.apache.texera.gateway.apiserver;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The operator as it runs in production, but in the test JVM: against the real API server as its ServiceAccount,
 * with leader election on (the Lease is part of what RBAC must allow), and without applying its CRD (it has no
 * rights to; the kit installs it as an administrator would).
 */
public class RealApiServerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.operator-sdk.crd.apply", "false",
                "quarkus.operator-sdk.activate-leader-election-for-profiles", "prod,test");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealApiServerResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
