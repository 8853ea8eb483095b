package org.apache.texera.gateway.reconciler.gateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** The TexeraGateway's condition types, and how a new set of conditions replaces the last one. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String GATEWAY_PROGRAMMED = "GatewayProgrammed";
    public static final String ROUTES_ACCEPTED = "RoutesAccepted";
    public static final String POLICIES_ACCEPTED = "PoliciesAccepted";
    /** The computing units: not part of Ready, which speaks of the static topology (README, Status). */
    public static final String UNITS_ROUTED = "UnitsRouted";

    /** Ready=True: Envoy Gateway serves every object and listener the spec asks for. */
    public static final String REASON_READY = "Ready";
    /** GatewayProgrammed, RoutesAccepted and PoliciesAccepted: what Envoy Gateway said, True or False. */
    public static final String REASON_PROGRAMMED = "Programmed";
    public static final String REASON_NOT_PROGRAMMED = "NotProgrammed";
    public static final String REASON_ACCEPTED = "Accepted";
    public static final String REASON_NOT_ACCEPTED = "NotAccepted";
    /** Ready=False reasons that come before any object is written. */
    public static final String REASON_INVALID_SPEC = "InvalidSpec";
    /** Envoy Gateway has not answered yet for the current generation: waiting is all there is to do. */
    public static final String REASON_WAITING = "WaitingForEnvoyGateway";
    /** Envoy Gateway answered, and refused something (a certificate, a backend): a person must act. */
    public static final String REASON_REJECTED = "RejectedByEnvoyGateway";
    public static final String REASON_CRDS_MISSING = "CRDsMissing";
    /** The API server refused a write (quota, admission, terminating namespace); the message quotes it. */
    public static final String REASON_WRITE_REFUSED = "WriteRefused";
    /** Another namespace (or cluster scope) has not consented; the message says what to apply. */
    public static final String REASON_CONSENT_MISSING = "ConsentMissing";

    /** UnitsRouted=True: every unit that can be routed is, the rest wait for their pod to be Ready. */
    public static final String UNITS_REASON_ROUTED = "Routed";
    /** UnitsRouted=Unknown: the operator has not yet seen every pod since it started. */
    public static final String UNITS_REASON_COUNTING = "Counting";
    /** UnitsRouted=False: the podSelector lacks the label the operator's pod watch selects on. */
    public static final String UNITS_REASON_SELECTOR_CANNOT_MATCH = "SelectorCannotMatch";
    /** UnitsRouted=False: pods also selected by another admitted TexeraGateway; neither routes them. */
    public static final String UNITS_REASON_CLAIMED_TWICE = "ClaimedByTwoGateways";
    /** UnitsRouted=False: Ready units held back while the ext-auth policy is missing or being deleted. */
    public static final String UNITS_REASON_WAITING_FOR_POLICY = "WaitingForAuthPolicy";
    /** UnitsRouted=False: pods rejected for a bad or duplicate id label. */
    public static final String UNITS_REASON_REJECTED = "UnitsRejected";

    /** The Event a TexeraGateway gets when its deletion removed what it had outside its namespace. */
    public static final String EVENT_DELETED = "Deleted";

    private Conditions() {
    }

    public static Condition of(String type, boolean status, String reason, String message, long generation) {
        return of(type, status ? "True" : "False", reason, message, generation);
    }

    public static Condition of(String type, String status, String reason, String message, long generation) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).build();
    }

    /**
     * The new conditions, each keeping its previous lastTransitionTime unless its status flipped. Types only in
     * {@code previous} are kept as they were (e.g. RoutesAccepted while the spec is invalid).
     */
    public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
        List<Condition> merged = new ArrayList<>();
        for (Condition condition : next) {
            Condition before = find(previous, condition.getType());
            String since = before != null && java.util.Objects.equals(before.getStatus(), condition.getStatus())
                    ? before.getLastTransitionTime()
                    : now.truncatedTo(ChronoUnit.SECONDS).toString();
            merged.add(new ConditionBuilder(condition).withLastTransitionTime(since).build());
        }
        if (previous != null) {
            for (Condition old : previous) {
                if (find(next, old.getType()) == null) {
                    merged.add(old);
                }
            }
        }
        merged.sort(java.util.Comparator.comparingInt(c -> order(c.getType())));
        return merged;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static int order(String type) {
        int index = List.of(READY, GATEWAY_PROGRAMMED, ROUTES_ACCEPTED, POLICIES_ACCEPTED).indexOf(type);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
