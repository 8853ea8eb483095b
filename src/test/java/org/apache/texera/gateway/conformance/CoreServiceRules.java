package org.apache.texera.gateway.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A core v1 Service is not a CRD, so it has no schema folder: these are the API server's Service checks that the
 * operator's unit Services can trip over, plus the project's own rule that every port names its appProtocol
 * (kubernetes.io/ws pins HTTP/1.1, which WebSockets need).
 */
final class CoreServiceRules {
    private static final Set<String> SPEC_FIELDS = Set.of("ports", "selector", "clusterIP", "clusterIPs", "type",
            "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName",
            "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig",
            "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy",
            "trafficDistribution");
    private static final Set<String> PORT_FIELDS = Set.of("name", "protocol", "appProtocol", "port", "targetPort", "nodePort");
    private static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    /** IANA service name: what a named targetPort must be. */
    private static final Pattern IANA_SVC_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");

    private CoreServiceRules() {
    }

    static List<FieldError> validate(JsonNode service) {
        List<FieldError> errors = new ArrayList<>();
        if (!"v1".equals(service.path("apiVersion").asText()) || !"Service".equals(service.path("kind").asText())) {
            errors.add(FieldError.invalid("kind", service.path("kind").asText(), "not a core v1 Service"));
            return errors;
        }
        service.fieldNames().forEachRemaining(name -> {
            if (!TOP_FIELDS.contains(name)) {
                errors.add(FieldError.unknownField(name));
            }
        });
        errors.addAll(ObjectMetaRules.validate(service.get("metadata"), true, ObjectMetaRules.NameRule.DNS1035_LABEL));
        JsonNode spec = service.path("spec");
        spec.fieldNames().forEachRemaining(name -> {
            if (!SPEC_FIELDS.contains(name)) {
                errors.add(FieldError.unknownField("spec." + name));
            }
        });
        String type = spec.path("type").asText("ClusterIP");
        if (!List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")));
        }
        JsonNode ports = spec.path("ports");
        if (!"ExternalName".equals(type) && ports.size() == 0) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        if ("None".equals(spec.path("clusterIP").asText()) && !"ClusterIP".equals(type)) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may only be set to 'None' for ClusterIP services"));
        }
        Set<String> names = new HashSet<>();
        Set<String> portsAndProtocols = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = "spec.ports[" + i + "]";
            port.fieldNames().forEachRemaining(name -> {
                if (!PORT_FIELDS.contains(name)) {
                    errors.add(FieldError.unknownField(at + "." + name));
                }
            });
            String name = port.path("name").asText("");
            if (name.isEmpty() && ports.size() > 1) {
                errors.add(FieldError.required(at + ".name", ""));
            } else if (!name.isEmpty()) {
                ObjectMetaRules.dns1123Label(name).forEach(p -> errors.add(FieldError.invalid(at + ".name", name, p)));
                if (!names.add(name)) {
                    errors.add(FieldError.duplicate(at + ".name", name));
                }
            }
            long number = port.path("port").asLong(0);
            if (!port.path("port").isIntegralNumber() || number < 1 || number > 65535) {
                errors.add(FieldError.invalid(at + ".port", number, "must be between 1 and 65535, inclusive"));
            }
            String protocol = port.path("protocol").asText("TCP");
            if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
                errors.add(FieldError.notSupported(at + ".protocol", protocol, List.of("SCTP", "TCP", "UDP")));
            }
            if (!portsAndProtocols.add(number + "/" + protocol)) {
                errors.add(FieldError.duplicate(at, number + "/" + protocol));
            }
            JsonNode target = port.path("targetPort");
            if (target.isIntegralNumber() && (target.asLong() < 1 || target.asLong() > 65535)) {
                errors.add(FieldError.invalid(at + ".targetPort", target.asLong(), "must be between 1 and 65535, inclusive"));
            } else if (target.isTextual() && (target.asText().length() > 15 || !IANA_SVC_NAME.matcher(target.asText()).matches()
                    || target.asText().contains("--") || !target.asText().matches(".*[a-z].*"))) {
                errors.add(FieldError.invalid(at + ".targetPort", target.asText(),
                        "must be a valid port number or an IANA_SVC_NAME (at most 15 characters, lower case alphanumerics "
                                + "and '-', at least one letter, no '--')"));
            }
            String appProtocol = port.path("appProtocol").asText("");
            if (appProtocol.isEmpty()) {
                errors.add(FieldError.required(at + ".appProtocol",
                        "the operator's Services name the protocol, e.g. kubernetes.io/ws to pin HTTP/1.1 for WebSockets"));
            } else {
                ObjectMetaRules.qualifiedName(appProtocol).forEach(p -> errors.add(FieldError.invalid(at + ".appProtocol", appProtocol, p)));
            }
        }
        spec.path("selector").fields().forEachRemaining(label -> {
            ObjectMetaRules.qualifiedName(label.getKey()).forEach(p -> errors.add(FieldError.invalid("spec.selector", label.getKey(), p)));
            ObjectMetaRules.labelValue(label.getValue().asText())
                    .forEach(p -> errors.add(FieldError.invalid("spec.selector", label.getValue().asText(), p)));
        });
        return errors;
    }
}
