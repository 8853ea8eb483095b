package org.apache.texera.gateway.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Edits a TexeraGateway the way kubectl does: read, change, write at that resourceVersion, and on a conflict (the
 * operator wrote status in between) read again and retry.
 */
public final class SpecEdits {
    private SpecEdits() {
    }

    public static void edit(KubernetesClient client, String namespace, String name, UnaryOperator<TexeraGateway> change) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> {
                    client.resources(TexeraGateway.class).inNamespace(namespace).withName(name).edit(change);
                    return true;
                });
    }
}
