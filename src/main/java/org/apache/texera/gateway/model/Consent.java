package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiPredicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;

/**
 * Nothing crosses a namespace without its owner's consent. A TexeraGateway's author has rights in its own namespace
 * only; the operator, with its cluster-wide rights, must not become their way into another. So the operator writes
 * in another namespace only when that namespace carries a label that only someone with rights on namespaces (the
 * cluster or pool administrator) can set, and it creates cluster-scoped objects (a GatewayClass) only when the
 * operator's own setting allows it. Two consents, never one for the other:
 * <ul>
 * <li>{@link Scope#UNITS} ({@code admit.texera.apache.org/<gateway namespace>: "true"}): the namespace is a
 * computing-unit pool of that gateway; the operator routes its unit pods and writes their ext-auth and traffic
 * policies there;</li>
 * <li>{@link Scope#BACKENDS} ({@code admit-backends.texera.apache.org/<gateway namespace>: "true"}): the gateway's
 * routes or its unit policy may send traffic to Services there; the operator writes the ReferenceGrant that allows it.</li>
 * </ul>
 * Pure: what is needed, and what is missing, from the desired objects and what the cluster says.
 */
public final class Consent {

    /** What a namespace consents to, and the label that says so. */
    public enum Scope {
        UNITS("admit.texera.apache.org/", "TexeraGateways from %s to route its computing units"),
        BACKENDS("admit-backends.texera.apache.org/", "routes of TexeraGateways from %s to reach its Services");

        private final String prefix;
        private final String what;

        Scope(String prefix, String what) {
            this.prefix = prefix;
            this.what = what;
        }

        /** The label's key; its name part is the admitted TexeraGateway namespace. */
        public String label(String gatewayNamespace) {
            return prefix + gatewayNamespace;
        }

        String what(String gatewayNamespace) {
            return what.formatted(gatewayNamespace);
        }
    }

    private Consent() {
    }

    /** The units consent label: a pool namespace admits a gateway namespace's units. */
    public static String admitLabel(String gatewayNamespace) {
        return Scope.UNITS.label(gatewayNamespace);
    }

    /** Which consent an object in another namespace needs: a ReferenceGrant lets traffic in, anything else is the pool's. */
    public static Scope scopeOf(HasMetadata object) {
        return object instanceof ReferenceGrant ? Scope.BACKENDS : Scope.UNITS;
    }

    /** A namespace and the consent an object there needs. */
    public record Needed(String namespace, Scope scope) {
    }

    /** What the objects need in namespaces other than the gateway's, each once, by namespace then scope. */
    public static List<Needed> needed(GatewayRef gateway, Collection<HasMetadata> objects) {
        TreeSet<String> keys = new TreeSet<>();
        List<Needed> needed = new ArrayList<>();
        for (HasMetadata object : objects) {
            String namespace = object.getMetadata().getNamespace();
            Scope scope = scopeOf(object);
            if (namespace != null && !namespace.equals(gateway.namespace()) && keys.add(namespace + "/" + scope)) {
                needed.add(new Needed(namespace, scope));
            }
        }
        needed.sort(java.util.Comparator.comparing(Needed::namespace).thenComparing(Needed::scope));
        return List.copyOf(needed);
    }

    /**
     * Whether a namespace with these labels gives this consent to this gateway's namespace. A namespace that is being
     * deleted consents to nothing: what the operator wrote there is going, and nothing new may follow.
     */
    public static boolean admits(Map<String, String> namespaceLabels, boolean terminating, Scope scope, GatewayRef gateway) {
        return !terminating && namespaceLabels != null && "true".equals(namespaceLabels.get(scope.label(gateway.namespace())));
    }

    /** The command an administrator runs to give a consent that is missing. */
    public static String labelCommand(Needed needed, GatewayRef gateway) {
        return "kubectl label namespace " + needed.namespace() + " " + needed.scope().label(gateway.namespace()) + "=true";
    }

    /** What is missing, and what the operator leaves out because of it. */
    public record Decision(List<HasMetadata> allowed, List<Needed> missing, boolean clusterScopeRefused) {
        public boolean complete() {
            return missing.isEmpty() && !clusterScopeRefused;
        }

        /** The namespaces some consent is missing in, each once. */
        public List<String> namespacesMissing() {
            return missing.stream().map(Needed::namespace).distinct().toList();
        }

        /** For the status: what is not written, and exactly what to do about it. */
        public String message(GatewayRef gateway) {
            return message(gateway, namespace -> true);
        }

        /** As {@link #message(GatewayRef)}, naming a namespace that does not exist (a typo, or not created yet). */
        public String message(GatewayRef gateway, java.util.function.Predicate<String> exists) {
            List<String> parts = new ArrayList<>();
            for (Needed needed : missing) {
                if (!exists.test(needed.namespace())) {
                    parts.add("namespace " + needed.namespace() + " does not exist: check the spec for a typo, or create it "
                            + "(kubectl create namespace " + needed.namespace() + ") and then consent with: "
                            + labelCommand(needed, gateway));
                    continue;
                }
                parts.add("namespace " + needed.namespace() + " has not admitted " + needed.scope().what(gateway.namespace())
                        + ", so nothing is written there for it; its administrator consents with: "
                        + labelCommand(needed, gateway));
            }
            if (clusterScopeRefused) {
                parts.add("gatewayClass.create asks for a cluster-scoped GatewayClass, which this operator may not create "
                        + "(texera.operator.allow-cluster-scoped-writes=false): create the GatewayClass yourself and set "
                        + "spec.gatewayClass.create to false, or ask the operator's administrator to allow it (the chart value "
                        + "allowClusterScopedWrites: true, or TEXERA_OPERATOR_ALLOW_CLUSTER_SCOPED_WRITES=true)");
            }
            return String.join("; ", parts);
        }
    }

    /**
     * @param admitted whether a namespace gives a consent to this gateway (by its labels, as the cache has them)
     * @param clusterScopedAllowed the operator's setting for cluster-scoped writes
     */
    public static Decision decide(GatewayRef gateway, List<HasMetadata> objects, BiPredicate<String, Scope> admitted,
            boolean clusterScopedAllowed) {
        List<Needed> missing = needed(gateway, objects).stream().filter(n -> !admitted.test(n.namespace(), n.scope())).toList();
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
            } else if (!missing.contains(new Needed(namespace, scopeOf(object)))) {
                allowed.add(object);
            }
        }
        return new Decision(allowed, missing, clusterRefused);
    }
}
