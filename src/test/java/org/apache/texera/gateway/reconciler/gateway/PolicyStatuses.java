package org.apache.texera.gateway.reconciler.gateway;

import java.util.List;

import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyAncestorStatus;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyStatus;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Plays Envoy Gateway for policies in tests: marks each policy of a gateway Accepted on that Gateway. */
final class PolicyStatuses {
    private PolicyStatuses() {
    }

    static void accept(KubernetesClient client, String labelSelector, String gatewayNamespace, String gatewayName) {
        PolicyStatus accepted = new PolicyStatus(List.of(new PolicyAncestorStatus(
                new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io").withKind("Gateway")
                        .withNamespace(gatewayNamespace).withName(gatewayName).build(),
                EnvoyGatewayKinds.CONTROLLER_NAME,
                List.of(new ConditionBuilder().withType("Accepted").withStatus("True").withReason("Accepted")
                        .withMessage("Policy has been accepted.").build()))));
        for (Class<? extends CustomResource<?, PolicyStatus>> kind : List.of(ClientTrafficPolicy.class,
                BackendTrafficPolicy.class, SecurityPolicy.class)) {
            for (CustomResource<?, PolicyStatus> policy : client.resources(kind).inAnyNamespace()
                    .withLabelSelector(labelSelector).list().getItems()) {
                policy.setStatus(accepted);
                client.resource(policy).updateStatus();
            }
        }
    }
}
