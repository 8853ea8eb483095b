package org.apache.texera.gateway.apiserver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.texera.gateway.kube.PagedList;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.unit.UnitReconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Listable;

/**
 * Compares what should be routed with what is: every unit pod of one pool (admitted, selected by one
 * TexeraGateway) that is Ready, not terminating and has a valid id should have a Service and an HTTPRoute of that
 * id owned by it. Counted per object (a Service and a route each):
 * <ul>
 * <li>missing: a routable pod without it;</li>
 * <li>stale: it exists, but its pod is gone, not Ready or terminating, or it is owned by another uid;</li>
 * <li>extra: a unit object of this gateway anywhere else (another namespace) or whose name is no unit name.</li>
 * </ul>
 */
public final class UnitChecker {
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");

    public record Drift(int expected, int missing, int stale, int extra) {
        public boolean converged() {
            return missing == 0 && stale == 0 && extra == 0;
        }

        @Override
        public String toString() {
            return expected + " routable units: missing " + missing + ", stale " + stale + ", extra " + extra;
        }
    }

    private final KubernetesClient admin;
    private final GatewayRef gateway;
    private final String pool;

    public UnitChecker(KubernetesClient admin, GatewayRef gateway, String pool) {
        this.admin = admin;
        this.gateway = gateway;
        this.pool = pool;
    }

    public Drift check() {
        Map<String, String> routable = new HashMap<>(); // object name -> the pod uid that should own it
        for (Pod pod : pages(admin.pods().inNamespace(pool).withLabel("type", "computing-unit"))) {
            String cuid = pod.getMetadata().getLabels().get("cuid");
            if (pod.getMetadata().getDeletionTimestamp() == null && cuid != null && ID.matcher(cuid).matches()
                    && isReady(pod)) {
                routable.putIfAbsent(Names.unit(gateway, Long.parseLong(cuid)), pod.getMetadata().getUid());
            }
        }
        String selector = Labels.UNIT_SELECTOR + "," + Labels.GATEWAY + "=" + gateway.name() + ","
                + Labels.GATEWAY_NAMESPACE + "=" + gateway.namespace();
        int[] counts = new int[3];
        count(pages(admin.services().inAnyNamespace().withLabelSelector(selector)), routable, counts);
        count(pages(admin.resources(HTTPRoute.class).inAnyNamespace().withLabelSelector(selector)), routable, counts);
        return new Drift(routable.size(), counts[0], counts[1], counts[2]);
    }

    private void count(List<? extends HasMetadata> objects, Map<String, String> routable, int[] counts) {
        Map<String, String> owners = new HashMap<>();
        for (HasMetadata o : objects) {
            if (o.getMetadata().getDeletionTimestamp() != null) {
                continue; // on its way out
            }
            String name = o.getMetadata().getName();
            boolean unitName = name.startsWith(Names.unit(gateway, 0).replaceAll("0$", ""));
            if (!pool.equals(o.getMetadata().getNamespace()) || !unitName) {
                counts[2]++;
                continue;
            }
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            owners.put(name, refs == null || refs.isEmpty() ? "" : refs.get(0).getUid());
        }
        for (var unit : routable.entrySet()) {
            if (!owners.containsKey(unit.getKey())) {
                counts[0]++;
            }
        }
        for (var object : owners.entrySet()) {
            if (!object.getValue().equals(routable.get(object.getKey()))) {
                counts[1]++;
            }
        }
    }

    /** Every item, listed in the operator's pages (one list of 10,000 HTTPRoutes can outlast the request timeout). */
    static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> pages(Listable<L> listable) {
        List<T> items = new java.util.ArrayList<>();
        PagedList.forEach(listable, UnitReconciler.LIST_CHUNK, items::add);
        return items;
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
