package org.apache.texera.gateway.config;

import org.apache.texera.gateway.api.v1alpha1.AuthSpec;
import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.EnvoyProxySpec;
import org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec;
import org.apache.texera.gateway.api.v1alpha1.ObjectStorageSpec;
import org.apache.texera.gateway.api.v1alpha1.Patterns;
import org.apache.texera.gateway.api.v1alpha1.ConditionSchema;
import org.apache.texera.gateway.api.v1alpha1.PendingObject;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewayStatus;
import org.apache.texera.gateway.api.v1alpha1.TimeoutsSpec;
import org.apache.texera.gateway.api.v1alpha1.TlsSpec;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyProxy;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every class of ours that Jackson (through the fabric8 client, the CRD status and `render`) reads or writes by
 * reflection, so the native image keeps their constructors, fields and accessors. NativeReflectionTest fails when a
 * class in api.v1alpha1 or envoygateway is missing here, and when Jackson would reach, from these classes or from the
 * fabric8 model classes we use, a class that neither this list nor the kubernetes-client extension registers. The
 * model records are never serialized, so they are not here.
 */
@RegisterForReflection(targets = {
        // api.v1alpha1: the TexeraGateway resource, read and written by the client and printed by `render`.
        AuthSpec.class,
        BackendSpec.class,
        ComputingUnitsSpec.class,
        EnvoyProxySpec.class,
        EnvoyProxySpec.ServiceType.class,
        GatewayClassSpec.class,
        ObjectStorageSpec.class,
        Patterns.class,
        PendingObject.class,
        ConditionSchema.class,
        RouteSpec.class,
        TexeraGateway.class,
        TexeraGatewaySpec.class,
        TexeraGatewayStatus.class,
        TimeoutsSpec.class,
        TlsSpec.class,
        UnitCounts.class,
        UnitPathMatch.class,
        UnitPathMatch.Type.class,
        // envoygateway: our typed Envoy Gateway kinds and their nested records, written and read as JSON.
        BackendTrafficPolicy.class,
        BackendTrafficPolicy.CircuitBreaker.class,
        BackendTrafficPolicy.ConsistentHash.class,
        BackendTrafficPolicy.HeaderName.class,
        BackendTrafficPolicy.LoadBalancer.class,
        BackendTrafficPolicy.Spec.class,
        ClientTrafficPolicy.class,
        ClientTrafficPolicy.EarlyRequestHeaders.class,
        ClientTrafficPolicy.Headers.class,
        ClientTrafficPolicy.Spec.class,
        EnvoyGatewayKinds.class,
        EnvoyGatewayKinds.BackendRef.class,
        EnvoyGatewayKinds.HttpTimeouts.class,
        EnvoyGatewayKinds.PolicyAncestorStatus.class,
        EnvoyGatewayKinds.PolicyStatus.class,
        EnvoyGatewayKinds.TargetRef.class,
        EnvoyGatewayKinds.TargetSelector.class,
        EnvoyGatewayKinds.Timeouts.class,
        EnvoyProxy.class,
        EnvoyProxy.EnvoyDeployment.class,
        EnvoyProxy.EnvoyPod.class,
        EnvoyProxy.EnvoyService.class,
        EnvoyProxy.KubernetesProvider.class,
        EnvoyProxy.Provider.class,
        EnvoyProxy.Spec.class,
        SecurityPolicy.class,
        SecurityPolicy.BodyToExtAuth.class,
        SecurityPolicy.Cors.class,
        SecurityPolicy.ExtAuth.class,
        SecurityPolicy.HttpExtAuth.class,
        SecurityPolicy.Spec.class
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
