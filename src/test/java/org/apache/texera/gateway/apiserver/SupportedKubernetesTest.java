package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * One supported Kubernetes range, stated everywhere, and it is the release the real tier runs: the build script's
 * version, the CSV's {@code minKubeVersion}, the chart's {@code kubeVersion}, the README and docs/install.md.
 */
class SupportedKubernetesTest {
    private static final String TESTED = ApiServerKit.KUBE_VERSION;
    private static final String MINOR = TESTED.substring(0, TESTED.lastIndexOf('.'));

    @Test
    void theCsvRequiresTheTestedMinor() throws IOException {
        assertThat(read("bundle/manifests/texera-gateway-operator.clusterserviceversion.yaml"))
                .contains("minKubeVersion: " + MINOR + ".0\n");
        assertThat(read("src/main/java/org/apache/texera/gateway/olm/OperatorHubListing.java"))
                .contains("minKubeVersion = \"" + MINOR + ".0\"");
    }

    @Test
    void theChartRequiresTheTestedMinor() throws IOException {
        assertThat(read("charts/texera-gateway-operator/Chart.yaml")).contains("kubeVersion: \">=" + MINOR + ".0-0\"\n");
    }

    @Test
    void theDocsNameTheTestedRelease() throws IOException {
        assertThat(read("README.md")).contains("**Kubernetes " + MINOR + " (CI tests v" + TESTED + ")**");
        assertThat(read("docs/install.md")).contains("| Kubernetes | " + MINOR + " | what CI tests (v" + TESTED + ")");
    }

    private static String read(String file) throws IOException {
        return Files.readString(KitBinaries.project().resolve(Path.of(file)));
    }
}
