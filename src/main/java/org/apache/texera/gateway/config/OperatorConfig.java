package org.apache.texera.gateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings (`texera.operator.*`); everything per release lives in the TexeraGateway. */
@ConfigMapping(prefix = "texera.operator")
public interface OperatorConfig {

    /** The controller name Envoy Gateway writes into route and policy status; status is read only from it. */
    @WithDefault("gateway.envoyproxy.io/gatewayclass-controller")
    String gatewayControllerName();

    /** First recheck after a reconcile that left something pending (CRDs missing, status not in yet). */
    @WithDefault("5s")
    Duration recheckMin();

    /** The recheck interval doubles up to this, so a broken cluster is never polled hard nor forgotten. */
    @WithDefault("5m")
    Duration recheckMax();

    /**
     * How often unit objects whose pod is gone are looked for, besides once at start. A cluster's garbage collector
     * removes them through their owner reference; this catches clusters without one and the operator's own downtime.
     */
    @WithDefault("10m")
    Duration orphanSweepInterval();

    /**
     * Whether the operator may create cluster-scoped objects (a GatewayClass, for gatewayClass.create) for the authors
     * of TexeraGateways, who have rights in their own namespace only. Off by default: a cluster administrator turns it
     * on for the operator; otherwise the TexeraGateway reports what it would have created.
     */
    @WithDefault("false")
    boolean allowClusterScopedWrites();

    /**
     * The namespaces whose computing-unit pods are routed at all; unset, every namespace a TexeraGateway names as its
     * pool. Pods are watched with one cluster-wide watch either way (by their {@code type=computing-unit} label):
     * JOSDK gives every namespace's informer the controller's one pod store, so watching several namespaces through
     * {@code quarkus.operator-sdk.controllers.computingunit.namespaces} would let one namespace's list evict
     * another's pods. That setting is refused with more than one namespace.
     */
    Optional<Set<String>> poolNamespaces();

    /**
     * The namespace of the leader Lease. Unset: the client's namespace, which in a pod is the pod's own (its
     * ServiceAccount's); outside a cluster, the kubeconfig context's, which may have none: then set this.
     */
    Optional<String> leaseNamespace();
}
