package org.apache.texera.gateway.reconciler.gateway;

import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.GatewayRef;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The namespaces' consent labels, as an informer: a label added or removed re-decides the TexeraGateways (there is
 * one per Texera release, so all of them), and the reconciler asks it whether a namespace admits a gateway.
 */
final class NamespaceConsent {
    private NamespaceConsent() {
    }

    static InformerEventSource<Namespace, TexeraGateway> eventSource(EventSourceContext<TexeraGateway> context) {
        var configuration = InformerEventSourceConfiguration.from(Namespace.class, TexeraGateway.class)
                .withName("namespace-consent")
                // Namespaces are cluster-scoped: one cluster-wide watch, whatever namespaces the controller watches.
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper((Namespace namespace) -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                // Only the labels carry consent, and a namespace being deleted withdraws it.
                .withOnUpdateFilter((Namespace now, Namespace before) -> !Objects.equals(now.getMetadata().getLabels(),
                        before.getMetadata().getLabels())
                        || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    static boolean exists(InformerEventSource<Namespace, TexeraGateway> namespaces, String namespace) {
        return namespaces == null || namespaces.get(new ResourceID(namespace)).isPresent();
    }

    static boolean admits(InformerEventSource<Namespace, TexeraGateway> namespaces, String namespace, Consent.Scope scope,
            GatewayRef gateway) {
        if (namespaces == null) {
            return false;
        }
        return namespaces.get(new ResourceID(namespace)).map(n -> Consent.admits(n.getMetadata().getLabels(),
                n.getMetadata().getDeletionTimestamp() != null, scope, gateway)).orElse(false);
    }
}
