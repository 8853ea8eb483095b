package org.apache.texera.gateway.reconciler.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyProxy;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.kube.ApiDiscovery;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Watches of every kind the operator writes for the static topology, registered only once their CRDs exist, so a
 * cluster without Gateway API or Envoy Gateway gets a clear status instead of failing informers. Each watch sees only
 * objects with our topology labels, and maps them back to their TexeraGateway by those labels.
 */
final class TopologyWatches {
    private static final Logger LOG = Logger.getLogger(TopologyWatches.class);
    /** Every kind of the static topology. Must match GatewayModel's output; a test checks it. */
    static final List<Class<? extends HasMetadata>> KINDS = List.of(GatewayClass.class, EnvoyProxy.class, Gateway.class,
            ClientTrafficPolicy.class, HTTPRoute.class, BackendTrafficPolicy.class, SecurityPolicy.class, ReferenceGrant.class);

    private TopologyWatches() {
    }

    /**
     * The watches to register with the controller itself, when API discovery already finds every CRD at start: JOSDK
     * then starts them beside the controller's own informers, and the first reconcile finds them synced instead of
     * starting them. Empty when a CRD is missing or discovery fails; the first reconcile registers them as before.
     */
    static List<EventSource<?, TexeraGateway>> atStart(EventSourceContext<TexeraGateway> context, ApiDiscovery discovery) {
        try {
            if (!discovery.missingCrds().isEmpty()) {
                return List.of();
            }
        } catch (RuntimeException e) {
            LOG.debugf("API discovery at start failed (%s); the first reconcile registers the topology watches", e.getMessage());
            return List.of();
        }
        return KINDS.stream().<EventSource<?, TexeraGateway>>map(kind -> new InformerEventSource<>(configuration(kind), context))
                .toList();
    }

    /**
     * Registers (and starts) every kind's watch and returns once all have synced. The first time, each start lists its
     * kind and waits for the informer's sync; the kinds start side by side on JOSDK's own start-up executor (as JOSDK
     * starts a controller's event sources), so the first reconcile waits for the slowest list, not for the sum of all.
     */
    static void ensureRegistered(Context<TexeraGateway> context) {
        var retriever = context.eventSourceRetriever();
        ExecutorService executor = context.getControllerConfiguration().getConfigurationService()
                .getExecutorServiceManager().cachingExecutorService();
        // Idempotent: JOSDK returns the already-registered source of the same name, and starting a started one is a
        // no-op; a second caller of a source still starting waits for it (ManagedInformerEventSource.start is synchronized).
        CompletableFuture<?>[] registrations = KINDS.stream().map(kind -> CompletableFuture.runAsync(
                () -> retriever.dynamicallyRegisterEventSource(new InformerEventSource<>(configuration(kind),
                        retriever.eventSourceContextForDynamicRegistration())), executor))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(registrations).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static <R extends HasMetadata> InformerEventSourceConfiguration<R> configuration(Class<R> kind) {
        return InformerEventSourceConfiguration.from(kind, TexeraGateway.class)
                .withName("topology-" + HasMetadata.getKind(kind))
                .withWatchAllNamespaces()
                .withLabelSelector(Labels.TOPOLOGY_SELECTOR)
                .withSecondaryToPrimaryMapper(TopologyWatches::owningGateway)
                .build();
    }

    private static Set<ResourceID> owningGateway(HasMetadata object) {
        GatewayRef gateway = Labels.gatewayOf(object.getMetadata().getLabels());
        return gateway == null ? Set.of() : Set.of(new ResourceID(gateway.name(), gateway.namespace()));
    }

    /** What the caches hold for this TexeraGateway, by object key. */
    static Map<ObjectKey, HasMetadata> observed(Context<TexeraGateway> context) {
        Map<ObjectKey, HasMetadata> observed = new HashMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            context.getSecondaryResources(kind).forEach(object -> observed.put(ObjectKey.of(object), object));
        }
        return observed;
    }
}
