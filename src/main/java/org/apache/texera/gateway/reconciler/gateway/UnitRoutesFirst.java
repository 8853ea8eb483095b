package org.apache.texera.gateway.reconciler.gateway;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.kube.PagedList;
import org.apache.texera.gateway.model.GatewayModel;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.unit.UnitReconciler;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Fail closed on every path that removes a gateway's unit ext-auth policy: its unit routes in that namespace go
 * first, read from the API server (not a cache), and the policy goes (or its {@link GatewayModel#UNIT_ROUTES_FIRST}
 * finalizer is released) only once that read finds none left.
 */
final class UnitRoutesFirst {
    private static final Logger LOG = Logger.getLogger(UnitRoutesFirst.class);

    private final KubernetesClient client;
    private final ObjectWriter writer;

    UnitRoutesFirst(KubernetesClient client, ObjectWriter writer) {
        this.client = client;
        this.writer = writer;
    }

    static boolean isUnitPolicy(HasMetadata object, GatewayRef gateway) {
        return object instanceof SecurityPolicy && Names.unitPolicies(gateway).equals(object.getMetadata().getName());
    }

    static boolean deleting(HasMetadata object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }

    /**
     * Deletes the gateway's unit routes in this namespace, or in every namespace when it is null; returns how many it
     * found. Zero means none was left when the API server answered.
     */
    int deleteRoutes(GatewayRef gateway, String namespace) {
        var routes = client.resources(HTTPRoute.class);
        var selection = namespace == null ? routes.inAnyNamespace().withLabels(Labels.unitRouteSelector(gateway))
                : routes.inNamespace(namespace).withLabels(Labels.unitRouteSelector(gateway));
        AtomicInteger found = new AtomicInteger();
        PagedList.forEach(selection, UnitReconciler.LIST_CHUNK, route -> {
            found.incrementAndGet();
            LOG.infof("deleting unit route %s/%s before the ext-auth policy of %s goes", route.getMetadata().getNamespace(),
                    route.getMetadata().getName(), gateway);
            writer.delete(route);
        });
        return found.get();
    }

    /**
     * Removes the policy once no unit route of the gateway is left in its namespace: true when it is gone (or going
     * with nothing left to hold it), false when routes were found and deleted, so the caller comes back for it.
     */
    boolean removePolicy(SecurityPolicy policy, GatewayRef gateway) {
        if (deleteRoutes(gateway, policy.getMetadata().getNamespace()) > 0) {
            return false;
        }
        SecurityPolicy released = releaseFinalizer(policy);
        if (!deleting(released)) {
            writer.delete(released);
        }
        return true;
    }

    /**
     * Drops our finalizer, at the resourceVersion we saw (if anyone changed the policy since, the next reconcile
     * retries), and returns the policy as the API server then has it.
     */
    private SecurityPolicy releaseFinalizer(SecurityPolicy policy) {
        List<String> finalizers = policy.getMetadata().getFinalizers();
        if (finalizers == null || !finalizers.contains(GatewayModel.UNIT_ROUTES_FIRST)) {
            return policy;
        }
        List<String> others = finalizers.stream().filter(f -> !GatewayModel.UNIT_ROUTES_FIRST.equals(f)).toList();
        KubernetesSerialization json = client.getKubernetesSerialization();
        String patch = "{\"metadata\":{\"resourceVersion\":" + json.asJson(policy.getMetadata().getResourceVersion())
                + ",\"finalizers\":" + json.asJson(others) + "}}";
        // On the object itself: fabric8 then sends the patch as it is, with no read first (the operator may not get).
        SecurityPolicy released = client.resource(policy).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        LOG.infof("released the ext-auth policy %s/%s: no unit route is left under it", policy.getMetadata().getNamespace(),
                policy.getMetadata().getName());
        return released;
    }
}
