package org.apache.texera.gateway.model;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeoutsBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;

/** Small builders the gateway and unit models share. */
final class KubeObjects {
    static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

    private KubeObjects() {
    }

    static ObjectMeta meta(String namespace, String name, Map<String, String> labels, OwnerReference owner) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(labels);
        if (owner != null) {
            meta.withOwnerReferences(owner);
        }
        return meta.build();
    }

    /**
     * An owner reference that lets the cluster's garbage collector delete the object with its owner. It never blocks
     * the owner's deletion, which would need delete rights on the owner (and for a pod, would delay Texera).
     */
    static OwnerReference ownerReference(HasMetadata owner, String apiVersion, String kind, boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(controller).build();
    }

    static ParentReference listener(GatewayRef gateway, String sectionName, boolean crossNamespace) {
        return new ParentReferenceBuilder().withGroup(GATEWAY_API_GROUP).withKind("Gateway")
                .withNamespace(crossNamespace ? gateway.namespace() : null)
                .withName(Names.gateway(gateway)).withSectionName(sectionName).build();
    }

    static List<ParentReference> listeners(GatewayRef gateway, List<String> sectionNames, boolean crossNamespace) {
        return sectionNames.stream().map(section -> listener(gateway, section, crossNamespace)).toList();
    }

    static HTTPRouteTimeouts requestTimeout(String timeout) {
        return timeout == null ? null : new HTTPRouteTimeoutsBuilder().withRequest(timeout).build();
    }
}
