package org.apache.texera.gateway.reconciler.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.texera.gateway.api.v1alpha1.PendingObject;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyStatus;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.kube.ObjectKey;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Reads what Envoy Gateway says about each object the operator wrote (the Gateway's Accepted and Programmed, each
 * route's parents, each policy's ancestors) into the TexeraGateway's conditions. Pure: it never waits; an object
 * without status yet is simply pending.
 */
public final class TopologyStatus {
    /** Enough for a person to act on, without making the status object large. */
    static final int MAX_PENDING = 20;

    private final String controllerName;
    private final long generation;
    private final List<PendingObject> gatewayProblems = new ArrayList<>();
    private final List<PendingObject> routeProblems = new ArrayList<>();
    private final List<PendingObject> policyProblems = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private int routes;
    private int policies;

    private TopologyStatus(String controllerName, long generation) {
        this.controllerName = controllerName;
        this.generation = generation;
    }

    /** The outcome: conditions (without transition times), addresses, and what is pending. */
    public record Result(List<Condition> conditions, List<String> addresses, List<PendingObject> pending) {
    }

    public static Result evaluate(List<HasMetadata> desired, Map<ObjectKey, HasMetadata> observed, String controllerName,
            long generation) {
        TopologyStatus status = new TopologyStatus(controllerName, generation);
        desired.forEach(object -> status.check(object, observed.get(ObjectKey.of(object))));
        return status.result();
    }

    private void check(HasMetadata desired, HasMetadata actual) {
        ObjectKey key = ObjectKey.of(desired);
        if (desired instanceof Gateway || desired instanceof GatewayClass) {
            problem(gatewayProblems, key, actual == null ? "not created yet" : gatewayProblem(desired, actual));
        } else if (desired instanceof HTTPRoute) {
            routes++;
            problem(routeProblems, key, actual == null ? "not created yet" : routeProblem((HTTPRoute) desired, (HTTPRoute) actual));
        } else if (EnvoyGatewayKinds.GROUP.equals(HasMetadata.getGroup(desired.getClass()))
                && !"EnvoyProxy".equals(desired.getKind())) {
            policies++;
            problem(policyProblems, key, actual == null ? "not created yet" : policyProblem(desired, actual));
        } else if (actual == null) {
            // EnvoyProxy and ReferenceGrant have no status: existing is all they can be.
            problem(gatewayProblems, key, "not created yet");
        }
    }

    private void problem(List<PendingObject> list, ObjectKey key, String message) {
        if (message != null) {
            list.add(new PendingObject(key.kind(), key.namespace(), key.name(), message));
        }
    }

    private String gatewayProblem(HasMetadata desired, HasMetadata actual) {
        List<Condition> conditions;
        Long observedGeneration = actual.getMetadata().getGeneration();
        if (actual instanceof Gateway gateway) {
            conditions = gateway.getStatus() == null ? null : gateway.getStatus().getConditions();
            if (gateway.getStatus() != null && gateway.getStatus().getAddresses() != null) {
                gateway.getStatus().getAddresses().stream().map(GatewayStatusAddress::getValue).filter(Objects::nonNull)
                        .forEach(addresses::add);
            }
            String problem = conditionsProblem(conditions, observedGeneration, List.of("Accepted", "Programmed"));
            return problem != null ? problem : listenerProblem((Gateway) desired, gateway);
        }
        GatewayClass gatewayClass = (GatewayClass) actual;
        conditions = gatewayClass.getStatus() == null ? null : gatewayClass.getStatus().getConditions();
        return conditionsProblem(conditions, observedGeneration, List.of("Accepted"));
    }

    /**
     * Every listener the spec asked for serves: Accepted, ResolvedRefs and Programmed for the Gateway's current
     * generation. A Gateway can be Programmed while one listener cannot serve (its certificate Secret missing).
     */
    private String listenerProblem(Gateway desired, Gateway actual) {
        List<ListenerStatus> listeners = actual.getStatus().getListeners() == null ? List.of() : actual.getStatus().getListeners();
        for (Listener wanted : desired.getSpec().getListeners()) {
            ListenerStatus status = listeners.stream().filter(l -> wanted.getName().equals(l.getName())).findFirst().orElse(null);
            String problem = status == null ? "not reported yet"
                    : conditionsProblem(status.getConditions(), actual.getMetadata().getGeneration(),
                            List.of("Accepted", "ResolvedRefs", "Programmed"));
            if (problem != null) {
                return "listener " + wanted.getName() + ": " + problem;
            }
        }
        return null;
    }

    /** Every listener the route asks for must have answered, from our controller, Accepted and ResolvedRefs. */
    private String routeProblem(HTTPRoute desired, HTTPRoute route) {
        List<RouteParentStatus> parents = route.getStatus() == null ? List.of() : route.getStatus().getParents();
        List<RouteParentStatus> ours = parents.stream().filter(p -> controllerName.equals(p.getControllerName())).toList();
        if (ours.isEmpty()) {
            return "no status from " + controllerName + " yet";
        }
        for (ParentReference wanted : desired.getSpec().getParentRefs()) {
            String section = wanted.getSectionName();
            List<RouteParentStatus> answers = ours.stream().filter(p -> p.getParentRef() == null
                    || section == null || p.getParentRef().getSectionName() == null
                    || section.equals(p.getParentRef().getSectionName())).toList();
            String where = section == null ? "" : " (listener " + section + ")";
            if (answers.isEmpty()) {
                return "no status from " + controllerName + " yet" + where;
            }
            for (RouteParentStatus parent : answers) {
                String problem = conditionsProblem(parent.getConditions(), route.getMetadata().getGeneration(),
                        List.of("Accepted", "ResolvedRefs"));
                if (problem != null) {
                    return problem + where;
                }
            }
        }
        return null;
    }

    private String policyProblem(HasMetadata desired, HasMetadata actual) {
        Object status = actual instanceof CustomResource<?, ?> resource ? resource.getStatus() : null;
        List<EnvoyGatewayKinds.PolicyAncestorStatus> ancestors = status instanceof PolicyStatus policyStatus
                && policyStatus.ancestors() != null ? policyStatus.ancestors() : List.of();
        List<EnvoyGatewayKinds.PolicyAncestorStatus> ours = ancestors.stream()
                .filter(a -> controllerName.equals(a.controllerName())).toList();
        if (ours.isEmpty()) {
            // A unit policy selects routes by label: with no unit routed yet it has nothing to attach to, and that is fine.
            return selectsByLabel(desired) ? null : "no status from " + controllerName + " yet";
        }
        for (EnvoyGatewayKinds.PolicyAncestorStatus ancestor : ours) {
            String problem = conditionsProblem(ancestor.conditions(), actual.getMetadata().getGeneration(), List.of("Accepted"));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static boolean selectsByLabel(HasMetadata policy) {
        if (policy instanceof SecurityPolicy securityPolicy) {
            return securityPolicy.getSpec().targetSelectors() != null;
        }
        return policy instanceof BackendTrafficPolicy backendPolicy && backendPolicy.getSpec().targetSelectors() != null;
    }

    /**
     * Null when every required condition is True for the object's current generation; else what is wrong, quoting the
     * controller's own reason and message.
     */
    private String conditionsProblem(List<Condition> conditions, Long objectGeneration, List<String> required) {
        if (conditions == null || conditions.isEmpty()) {
            return "no status from " + controllerName + " yet";
        }
        for (String type : required) {
            Condition condition = Conditions.find(conditions, type);
            if (condition == null) {
                return type + " not reported yet";
            }
            if (objectGeneration != null && condition.getObservedGeneration() != null
                    && condition.getObservedGeneration() < objectGeneration) {
                return type + " is reported for generation " + condition.getObservedGeneration() + ", not the current "
                        + objectGeneration;
            }
            if (!"True".equals(condition.getStatus())) {
                return type + "=" + condition.getStatus() + " (" + condition.getReason() + "): " + condition.getMessage();
            }
        }
        return null;
    }

    private Result result() {
        List<Condition> conditions = new ArrayList<>();
        Condition gatewayCondition = condition(Conditions.GATEWAY_PROGRAMMED, gatewayProblems, Conditions.REASON_PROGRAMMED,
                Conditions.REASON_NOT_PROGRAMMED,
                "the Gateway is accepted and programmed" + (addresses.isEmpty() ? "" : " at " + String.join(", ", addresses)));
        Condition routesCondition = condition(Conditions.ROUTES_ACCEPTED, routeProblems, Conditions.REASON_ACCEPTED,
                Conditions.REASON_NOT_ACCEPTED,
                "all " + routes + " routes are accepted with resolved references");
        Condition policiesCondition = condition(Conditions.POLICIES_ACCEPTED, policyProblems, Conditions.REASON_ACCEPTED,
                Conditions.REASON_NOT_ACCEPTED,
                "all " + policies + " policies are accepted");
        List<PendingObject> pending = new ArrayList<>();
        pending.addAll(gatewayProblems);
        pending.addAll(routeProblems);
        pending.addAll(policyProblems);
        if (pending.isEmpty()) {
            conditions.add(Conditions.of(Conditions.READY, true, Conditions.REASON_READY,
                    "Envoy Gateway has accepted and programmed every object and listener", generation));
        } else {
            // A refusal is named first, with a reason that says to act; else what is still awaited.
            PendingObject first = pending.stream().filter(TopologyStatus::rejected).findFirst().orElse(pending.get(0));
            boolean rejected = rejected(first);
            conditions.add(Conditions.of(Conditions.READY, false, rejected ? Conditions.REASON_REJECTED : Conditions.REASON_WAITING,
                    pending.size() + " object(s) not ready, " + (rejected ? "refused by Envoy Gateway: " : "first ")
                            + first.kind() + " " + (first.namespace() == null ? "" : first.namespace() + "/") + first.name()
                            + ": " + first.message(),
                    generation));
        }
        conditions.add(gatewayCondition);
        conditions.add(routesCondition);
        conditions.add(policiesCondition);
        return new Result(conditions, List.copyOf(addresses),
                List.copyOf(pending.subList(0, Math.min(pending.size(), MAX_PENDING))));
    }

    /** Envoy Gateway's answer for the current generation is False: it will not change by waiting. */
    static boolean rejected(PendingObject pending) {
        return pending.message().contains("=False (");
    }

    private Condition condition(String type, List<PendingObject> problems, String okReason, String badReason, String okMessage) {
        if (problems.isEmpty()) {
            return Conditions.of(type, true, okReason, okMessage, generation);
        }
        PendingObject first = problems.get(0);
        return Conditions.of(type, false, badReason, first.kind() + " "
                + (first.namespace() == null ? "" : first.namespace() + "/") + first.name() + ": " + first.message()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), generation);
    }
}
