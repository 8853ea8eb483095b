package org.apache.texera.gateway.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the API server checks in {@code metadata} of every object ({@code ValidateObjectMeta} and the label,
 * annotation and owner-reference validators of k8s.io/apimachinery), with its messages. A CRD schema cannot
 * express these, so the CRD validator and the built-in Service rules share them.
 */
final class ObjectMetaRules {

    /** How the kind's names are checked: custom resources use DNS subdomains, Services DNS-1035 labels. */
    enum NameRule {
        DNS1123_SUBDOMAIN, DNS1035_LABEL
    }

    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    private static final String DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE = "(" + QUALIFIED_NAME + ")?";

    static final String DNS1123_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '" + DNS1123_LABEL + "')";
    static final String DNS1123_SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '" + DNS1123_SUBDOMAIN + "')";
    static final String DNS1035_LABEL_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters or "
            + "'-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'abc-123', regex used for validation is '" + DNS1035_LABEL + "')";
    private static final String QUALIFIED_NAME_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
            + "used for validation is '" + QUALIFIED_NAME + "')";
    private static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            + "'my_value',  or '12345', regex used for validation is '" + LABEL_VALUE + "')";
    private static final long ANNOTATIONS_MAX_BYTES = 256 * 1024;

    private ObjectMetaRules() {
    }

    static List<FieldError> validate(JsonNode metadata, boolean namespaced, NameRule nameRule) {
        List<FieldError> errors = new ArrayList<>();
        if (metadata == null || metadata.isMissingNode() || metadata.isNull()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
            return errors;
        }
        String name = metadata.path("name").asText("");
        if (name.isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else if (!name.isEmpty()) {
            List<String> problems = nameRule == NameRule.DNS1035_LABEL ? dns1035Label(name) : dns1123Subdomain(name);
            problems.forEach(p -> errors.add(FieldError.invalid("metadata.name", name, p)));
        }
        String namespace = metadata.path("namespace").asText("");
        if (!namespaced && !namespace.isEmpty()) {
            errors.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        } else if (!namespace.isEmpty()) {
            dns1123Label(namespace).forEach(p -> errors.add(FieldError.invalid("metadata.namespace", namespace, p)));
        }
        metadata.path("labels").fields().forEachRemaining(label -> {
            qualifiedName(label.getKey()).forEach(p -> errors.add(FieldError.invalid("metadata.labels", label.getKey(), p)));
            labelValue(label.getValue().asText()).forEach(p -> errors.add(FieldError.invalid("metadata.labels",
                    label.getValue().asText(), p)));
        });
        long annotationBytes = 0;
        for (var it = metadata.path("annotations").fields(); it.hasNext();) {
            var annotation = it.next();
            qualifiedName(annotation.getKey().toLowerCase(Locale.ROOT))
                    .forEach(p -> errors.add(FieldError.invalid("metadata.annotations", annotation.getKey(), p)));
            annotationBytes += annotation.getKey().length() + annotation.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (annotationBytes > ANNOTATIONS_MAX_BYTES) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations",
                    "metadata.annotations: Too long: must have at most " + ANNOTATIONS_MAX_BYTES + " bytes"));
        }
        int controllers = 0;
        for (JsonNode owner : metadata.path("ownerReferences")) {
            for (String[] field : new String[][] {{"apiVersion", "version"}, {"kind", "kind"}, {"name", "name"}, {"uid", "uid"}}) {
                if (owner.path(field[0]).asText("").isEmpty()) {
                    errors.add(FieldError.invalid("metadata.ownerReferences." + field[0], "", field[1] + " must not be empty"));
                }
            }
            if (owner.path("controller").asBoolean(false)) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errors.add(FieldError.invalid("metadata.ownerReferences", "[...]",
                    "Only one reference can have Controller set to true. Found " + controllers));
        }
        return errors;
    }

    static List<String> dns1123Label(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!Pattern.matches(DNS1123_LABEL, value)) {
            problems.add(DNS1123_LABEL_MESSAGE);
        }
        return problems;
    }

    static List<String> dns1123Subdomain(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 253) {
            problems.add("must be no more than 253 characters");
        }
        if (!Pattern.matches(DNS1123_SUBDOMAIN, value)) {
            problems.add(DNS1123_SUBDOMAIN_MESSAGE);
        }
        return problems;
    }

    static List<String> dns1035Label(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!Pattern.matches(DNS1035_LABEL, value)) {
            problems.add(DNS1035_LABEL_MESSAGE);
        }
        return problems;
    }

    /** k8s.io/apimachinery/pkg/util/validation: IsQualifiedName. */
    static List<String> qualifiedName(String value) {
        List<String> problems = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                problems.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(parts[0]).forEach(p -> problems.add("prefix part " + p));
            }
        } else {
            problems.add("a qualified name " + QUALIFIED_NAME_MESSAGE
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return problems;
        }
        if (name.isEmpty()) {
            problems.add("name part must be non-empty");
        } else if (name.length() > 63) {
            problems.add("name part must be no more than 63 characters");
        }
        if (!name.isEmpty() && !Pattern.matches(QUALIFIED_NAME, name)) {
            problems.add("name part " + QUALIFIED_NAME_MESSAGE);
        }
        return problems;
    }

    static List<String> labelValue(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!Pattern.matches(LABEL_VALUE, value)) {
            problems.add(LABEL_VALUE_MESSAGE);
        }
        return problems;
    }
}
