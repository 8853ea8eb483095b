package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Nothing crosses a namespace without its owner's consent. A TexeraGateway's author has rights in its own namespace
 * only; the operator, with its cluster-wide rights, must not become their way into another. So the operator writes
 * in another namespace (the computing-unit pool, a backend's or the auth service's namespace) only when that
 * namespace carries the label {@code admit.texera.apache.org/<gateway namespace>: "true"}, which only someone with
 * rights on namespaces (the cluster or pool administrator) can set; and it creates cluster-scoped objects (a
 * GatewayClass) only when the operator's own setting allows it. Pure: what is needed, and what is missing, from the
 * desired objects and what the cluster says.
 */
public final class Consent {
    /** The prefix of the consent label; its name part is the admitted TexeraGateway namespace. */
    public static final String ADMIT_PREFIX = "admit.texera.apache.org/";

    private Consent() {
    }

    public static String admitLabel(String gatewayNamespace) {
        return ADMIT_PREFIX + gatewayNamespace;
    }

    /** Other namespaces the objects go to, sorted. */
    public static List<String> foreignNamespaces(GatewayRef gateway, Collection<HasMetadata> objects) {
        TreeSet<String> namespaces = new TreeSet<>();
        objects.forEach(o -> {
            String namespace = o.getMetadata().getNamespace();
            if (namespace != null && !namespace.equals(gateway.namespace())) {
                namespaces.add(namespace);
            }
        });
        return List.copyOf(namespaces);
    }

    /** Whether a namespace with these labels admits this gateway's namespace. */
    public static boolean admits(Map<String, String> namespaceLabels, GatewayRef gateway) {
        return namespaceLabels != null && "true".equals(namespaceLabels.get(admitLabel(gateway.namespace())));
    }

    /** The command an administrator runs to give the consent that is missing in a namespace. */
    public static String labelCommand(String namespace, GatewayRef gateway) {
        return "kubectl label namespace " + namespace + " " + admitLabel(gateway.namespace()) + "=true";
    }

    /** What is missing, and what the operator leaves out because of it. */
    public record Decision(List<HasMetadata> allowed, List<String> namespacesMissing, boolean clusterScopeRefused) {
        public boolean complete() {
            return namespacesMissing.isEmpty() && !clusterScopeRefused;
        }

        /** For the status: what is not written, and exactly what to do about it. */
        public String message(GatewayRef gateway) {
            List<String> parts = new ArrayList<>();
            for (String namespace : namespacesMissing) {
                parts.add("namespace " + namespace + " has not admitted TexeraGateways from " + gateway.namespace()
                        + ", so nothing is written there; its administrator consents with: "
                        + labelCommand(namespace, gateway));
            }
            if (clusterScopeRefused) {
                parts.add("gatewayClass.create asks for a cluster-scoped GatewayClass, which this operator may not create "
                        + "(texera.operator.allow-cluster-scoped-writes=false): create the GatewayClass yourself, or ask "
                        + "the operator's administrator to allow it");
            }
            return String.join("; ", parts);
        }
    }

    /**
     * @param admitted whether a namespace admits this gateway (by its labels, as the cache has them)
     * @param clusterScopedAllowed the operator's setting for cluster-scoped writes
     */
    public static Decision decide(GatewayRef gateway, List<HasMetadata> objects, Predicate<String> admitted,
            boolean clusterScopedAllowed) {
        List<String> missing = foreignNamespaces(gateway, objects).stream().filter(admitted.negate()).toList();
        List<HasMetadata> allowed = new ArrayList<>();
        boolean clusterRefused = false;
        for (HasMetadata object : objects) {
            String namespace = object.getMetadata().getNamespace();
            if (namespace == null) {
                if (clusterScopedAllowed) {
                    allowed.add(object);
                } else {
                    clusterRefused = true;
                }
            } else if (!missing.contains(namespace)) {
                allowed.add(object);
            }
        }
        return new Decision(allowed, missing, clusterRefused);
    }
}
