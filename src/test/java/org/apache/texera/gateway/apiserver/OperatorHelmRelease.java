package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.texera.gateway.testing.HelmCharts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * One release of charts/texera-gateway-operator on the kit's API server, installed and removed with helm-java (Helm's
 * own install and uninstall code) as the cluster administrator, and the ServiceAccount it created. The release name
 * and namespace differ from the kit's own operator install, so their cluster-wide RBAC names never collide.
 */
final class OperatorHelmRelease {
    private final ApiServerKit kit;
    private final String name;
    private final String namespace;

    private OperatorHelmRelease(ApiServerKit kit, String name, String namespace) {
        this.kit = kit;
        this.name = name;
        this.namespace = namespace;
    }

    /** `helm install NAME charts/texera-gateway-operator -n NAMESPACE --create-namespace -f values`. */
    static OperatorHelmRelease install(ApiServerKit kit, String name, String namespace, String valuesYaml) {
        Path values = kit.workDir().resolve("helm-" + name + "-values.yaml");
        try {
            Files.writeString(values, valuesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Release release = new Helm(HelmCharts.operatorChart()).install().withName(name).withNamespace(namespace)
                .createNamespace().withValuesFile(values).withKubeConfig(kit.adminKubeconfig()).call();
        if (!"deployed".equals(release.getStatus())) {
            throw new IllegalStateException("helm install " + name + ": " + release.getStatus() + "\n" + release.getOutput());
        }
        return new OperatorHelmRelease(kit, name, namespace);
    }

    /** `helm uninstall NAME -n NAMESPACE`. */
    void uninstall() {
        Helm.uninstall(name).withNamespace(namespace).withKubeConfig(kit.adminKubeconfig()).call();
    }

    String name() {
        return name;
    }

    String namespace() {
        return namespace;
    }

    /** The installed operator Deployment, as the API server stores it (no kubelet runs its pods). */
    Deployment deployment() {
        return kit.admin().apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list()
                .getItems().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("release " + name + " installed no Deployment"));
    }

    /** The ServiceAccount the installed Deployment runs as. */
    String serviceAccount() {
        return deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
    }

    /** That ServiceAccount as the API server names it in reviews and in the audit log. */
    String user() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount();
    }

    /** The installed container's environment (what the chart's values became). */
    Map<String, String> env() {
        Map<String, String> env = new java.util.TreeMap<>();
        deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .forEach(variable -> env.put(variable.getName(), variable.getValue()));
        return env;
    }

    /** A bearer token of the release's ServiceAccount (TokenRequest, as the kubelet would mount it). */
    String token() {
        return kit.admin().serviceAccounts().inNamespace(namespace).withName(serviceAccount())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3_600L).endSpec().build())
                .getStatus().getToken();
    }

    /** A client authenticated as the release's ServiceAccount, in the release namespace. */
    KubernetesClient client(String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(kit.apiServerUrl()).withOauthToken(token)
                .withTrustCerts(true).withNamespace(namespace).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
