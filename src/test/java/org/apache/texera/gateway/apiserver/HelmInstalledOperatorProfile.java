package org.apache.texera.gateway.apiserver;

import java.util.List;

/**
 * The operator as {@link RealApiServerProfile} runs it, but as the ServiceAccount a `helm install` of the chart
 * created, with the environment the chart's Deployment gives its container.
 */
public class HelmInstalledOperatorProfile extends RealApiServerProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(HelmInstalledOperatorResource.class));
    }
}
