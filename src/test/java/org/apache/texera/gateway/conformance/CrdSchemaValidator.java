package org.apache.texera.gateway.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Validates an object against one version of a CustomResourceDefinition the way the API server does on create:
 * defaults first, then the OpenAPI v3 schema (types with integer vs number and int-or-string, enum, pattern,
 * bounds with exclusive ones, lengths, item and property counts, required, nullable, formats, list-type set and map
 * uniqueness, allOf/anyOf/oneOf/not), then every {@code x-kubernetes-validations} CEL rule unless a type, required,
 * enum or size error blocks them, as kube-apiserver 1.36 (the real tier's) does. The object's metadata gets the API
 * server's ObjectMeta checks (name required, name and label formats, owner references).
 *
 * <p>One deliberate difference: a field the schema does not have is an error ({@code unknown field "spec.x"}, the
 * strict field validation message). With the default field validation the API server would silently prune it,
 * which for an operator means writing something that never arrives.
 *
 * <p>Rules that compare with {@code oldSelf} are skipped (there is no old object on create). A rule that needs a
 * Kubernetes CEL library function CEL-Java does not have is returned in {@link Result#notEvaluated()}, never passed.
 * A rule that does not compile makes the whole CRD unacceptable to the API server: it is listed in
 * {@link #brokenRules()} and reported as an error on every object it applies to.
 */
public final class CrdSchemaValidator {

    private static final ObjectMapper YAML = yamlMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKED_CEL = "some validation rules were not checked because the object was invalid; "
            + "correct the existing errors to complete validation";
    private static final Pattern FIELD_PATH_SEGMENT = Pattern.compile("\\.([A-Za-z0-9_$-]+)|\\['([^']*)'\\]|\\[(\\d+)\\]");

    private final String group;
    private final String version;
    private final String kind;
    private final boolean namespaced;
    private final boolean statusSubresource;
    private final JsonNode schema;
    private final List<RuleIssue> brokenRules = new ArrayList<>();
    private final List<RuleIssue> unsupportedRules = new ArrayList<>();
    private int ruleCount;
    private int transitionRuleCount;

    /** A CEL rule that was not run, or cannot be: where (the object's or the schema's path), which, and why. */
    public record RuleIssue(String path, String rule, String reason) {
        @Override
        public String toString() {
            return path + ": " + rule + " (" + reason + ")";
        }
    }

    /** Every error, as the API server would word it; the rules that could not be evaluated; some counts. */
    public record Result(List<FieldError> fieldErrors, List<RuleIssue> notEvaluated, int rulesEvaluated,
            int transitionRulesSkipped) {

        public List<String> errors() {
            return fieldErrors.stream().map(FieldError::message).toList();
        }

        public boolean valid() {
            return fieldErrors.isEmpty();
        }
    }

    private CrdSchemaValidator(JsonNode crd, String version) {
        JsonNode spec = crd.path("spec");
        this.group = spec.path("group").asText();
        this.kind = spec.path("names").path("kind").asText();
        this.namespaced = !"Cluster".equals(spec.path("scope").asText());
        this.version = version;
        JsonNode versionNode = null;
        for (JsonNode candidate : spec.path("versions")) {
            if (version.equals(candidate.path("name").asText())) {
                versionNode = candidate;
            }
        }
        if (versionNode == null) {
            throw new IllegalArgumentException("CRD " + crd.path("metadata").path("name").asText() + " has no version " + version);
        }
        this.statusSubresource = versionNode.path("subresources").has("status");
        JsonNode versionSchema = versionNode.path("schema").path("openAPIV3Schema");
        this.schema = versionSchema.isMissingNode() ? spec.path("validation").path("openAPIV3Schema") : versionSchema;
        inventoryRules(schema, "openAPIV3Schema");
    }

    /** The CRD of that file (the first CustomResourceDefinition in it) at that version. */
    public static CrdSchemaValidator load(Path crdYaml, String version) {
        return of(readYamlDocuments(crdYaml).stream()
                .filter(doc -> "CustomResourceDefinition".equals(doc.path("kind").asText())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(crdYaml + " holds no CustomResourceDefinition")), version);
    }

    public static CrdSchemaValidator of(JsonNode crd, String version) {
        return new CrdSchemaValidator(crd, version);
    }

    public static List<JsonNode> readYamlDocuments(Path file) {
        try {
            return readYamlDocuments(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> readYamlDocuments(String yaml) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
                while (values.hasNextValue()) {
                    JsonNode document = values.nextValue();
                    if (document != null && !document.isNull() && !document.isMissingNode()) {
                        documents.add(document);
                    }
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readYaml(String yaml) {
        List<JsonNode> documents = readYamlDocuments(yaml);
        if (documents.size() != 1) {
            throw new IllegalArgumentException("expected one YAML document, found " + documents.size());
        }
        return documents.get(0);
    }

    /** Any Jackson-serialisable object (a fabric8 resource) as the JSON the client would send. */
    public static JsonNode toJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    public String kind() {
        return kind;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /** How many x-kubernetes-validations rules this version's schema has. */
    public int ruleCount() {
        return ruleCount;
    }

    public int transitionRuleCount() {
        return transitionRuleCount;
    }

    /** Rules that do not compile: the API server refuses the CRD, with "compilation failed". */
    public List<RuleIssue> brokenRules() {
        return List.copyOf(brokenRules);
    }

    /** Rules that need a Kubernetes CEL function CEL-Java lacks: never evaluated by this validator. */
    public List<RuleIssue> unsupportedRules() {
        return List.copyOf(unsupportedRules);
    }

    public Result validate(JsonNode object) {
        Run run = new Run();
        if (!object.isObject()) {
            run.errors.add(FieldError.typeInvalid("<nil>", "object", jsonType(object)));
            return run.result();
        }
        ObjectNode defaulted = object.deepCopy();
        applyDefaults(defaulted, schema, true);
        if (!apiVersion().equals(defaulted.path("apiVersion").asText())) {
            run.errors.add(FieldError.invalid("apiVersion", defaulted.path("apiVersion").asText(), "this schema is for " + apiVersion()));
        }
        if (!kind.equals(defaulted.path("kind").asText())) {
            run.errors.add(FieldError.invalid("kind", defaulted.path("kind").asText(), "this schema is for " + kind));
        }
        run.errors.addAll(ObjectMetaRules.validate(defaulted.get("metadata"), namespaced,
                ObjectMetaRules.NameRule.DNS1123_SUBDOMAIN));
        JsonNode metadataSchema = schema.path("properties").path("metadata").path("properties");
        for (String field : List.of("name", "generateName")) {
            if (metadataSchema.has(field) && defaulted.path("metadata").has(field)) {
                walk(defaulted.path("metadata").get(field), metadataSchema.get(field), Loc.ROOT.child("metadata").child(field),
                        true, run.errors, run.celTasks);
            }
        }
        walk(defaulted, schema, Loc.ROOT, true, run.errors, run.celTasks);
        if (ruleCount > 0 && run.errors.stream().anyMatch(FieldError::blocksCel)) {
            run.errors.add(FieldError.invalid("<nil>", null, BLOCKED_CEL));
        } else {
            run.celTasks.forEach(task -> evaluateRules(task, run));
        }
        return run.result();
    }

    private static final class Run {
        final List<FieldError> errors = new ArrayList<>();
        final List<CelTask> celTasks = new ArrayList<>();
        final List<RuleIssue> notEvaluated = new ArrayList<>();
        int evaluated;
        int transitionSkipped;

        Result result() {
            return new Result(List.copyOf(errors), List.copyOf(notEvaluated), evaluated, transitionSkipped);
        }
    }

    private record CelTask(JsonNode value, JsonNode schema, Loc loc) {
    }

    /**
     * Where a value is: {@code openApi} as the OpenAPI validator names it (map entries as {@code .key}), {@code field}
     * as a {@code field.Path} prints it (map entries as {@code [key]}; the root is {@code <nil>}).
     */
    private record Loc(String openApi, String field) {
        static final Loc ROOT = new Loc("", null);

        Loc child(String name) {
            return new Loc(openApi.isEmpty() ? name : openApi + "." + name, field == null ? name : field + "." + name);
        }

        Loc index(int i) {
            return new Loc(openApi + "[" + i + "]", fieldPath() + "[" + i + "]");
        }

        Loc key(String key) {
            return new Loc(openApi.isEmpty() ? key : openApi + "." + key, fieldPath() + "[" + key + "]");
        }

        String openApiPath() {
            return openApi.isEmpty() ? "<nil>" : openApi;
        }

        String fieldPath() {
            return field == null ? "<nil>" : field;
        }

        boolean isRoot() {
            return field == null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Defaulting: apiextensions-apiserver's structural defaulting, applied before validation.

    private static void applyDefaults(JsonNode node, JsonNode schema, boolean root) {
        if (node == null || schema == null) {
            return;
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode properties = schema.path("properties");
            properties.fields().forEachRemaining(property -> {
                JsonNode defaultValue = property.getValue().get("default");
                if (defaultValue == null || root && "metadata".equals(property.getKey())) {
                    return;
                }
                JsonNode current = object.get(property.getKey());
                if (current == null || current.isNull() && !property.getValue().path("nullable").asBoolean(false)) {
                    object.set(property.getKey(), defaultValue.deepCopy());
                }
            });
            JsonNode additional = schema.get("additionalProperties");
            object.fields().forEachRemaining(field -> {
                if (root && "metadata".equals(field.getKey())) {
                    return;
                }
                if (properties.has(field.getKey())) {
                    applyDefaults(field.getValue(), properties.get(field.getKey()), false);
                } else if (additional != null && additional.isObject()) {
                    applyDefaults(field.getValue(), additional, false);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> applyDefaults(item, schema.get("items"), false));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The OpenAPI v3 schema, as k8s.io/kube-openapi's validator and apiextensions' error conversion word it.

    private void walk(JsonNode value, JsonNode s, Loc loc, boolean structural, List<FieldError> errors, List<CelTask> cel) {
        if (value == null || value.isMissingNode() || s == null) {
            return;
        }
        boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
        String type = intOrString ? "integer,string" : s.path("type").asText("");
        String path = loc.openApiPath();
        if (value.isNull()) {
            if (!type.isEmpty() && !s.path("nullable").asBoolean(false)) {
                errors.add(FieldError.typeInvalid(path, type, "null"));
            }
            return;
        }
        if (structural && cel != null && s.has("x-kubernetes-validations")) {
            cel.add(new CelTask(value, s, loc)); // a node's rules run before its children's, as in the API server
        }
        String found = jsonType(value);
        boolean typeOk = switch (type) {
            case "" -> true;
            case "integer,string" -> found.equals("string") || isInteger(value);
            case "integer" -> isInteger(value);
            case "number" -> value.isNumber();
            default -> type.equals(found);
        };
        if (!typeOk) {
            errors.add(FieldError.typeInvalid(path, type, found));
            if (structural) {
                unknownUnderWrongType(value, s, loc, errors);
            }
        }
        checkEnum(value, s, path, errors);
        if (typeOk) {
            if (value.isTextual()) {
                checkString(value.textValue(), s, path, errors);
            } else if (value.isNumber()) {
                checkNumber(value, s, path, errors);
            } else if (value.isArray()) {
                checkArray(value, s, loc, structural, errors, cel);
            } else if (value.isObject()) {
                checkObject(value, s, loc, structural, errors, cel);
            }
            checkComposition(value, s, loc, errors);
        }
    }

    /**
     * Pruning walks a value of the wrong type with a schema that has no properties for it (an array where an object
     * is expected has no items schema), so every field below it is unknown: strict field validation names them.
     */
    private static void unknownUnderWrongType(JsonNode value, JsonNode s, Loc loc, List<FieldError> errors) {
        if (value.isArray() && !s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                Loc at = loc.index(i);
                if (item.isObject()) {
                    item.fieldNames().forEachRemaining(name -> errors.add(FieldError.unknownField(at.child(name).fieldPath())));
                }
            }
        } else if (value.isObject() && !s.has("properties") && !s.has("additionalProperties")
                && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            value.fieldNames().forEachRemaining(name -> errors.add(FieldError.unknownField(loc.child(name).fieldPath())));
        }
    }

    private static void checkEnum(JsonNode value, JsonNode s, String path, List<FieldError> errors) {
        JsonNode allowed = s.get("enum");
        if (allowed == null || !allowed.isArray()) {
            return;
        }
        for (JsonNode candidate : allowed) {
            if (sameValue(candidate, value)) {
                return;
            }
        }
        List<String> supported = new ArrayList<>();
        allowed.forEach(candidate -> supported.add(candidate.isTextual() ? candidate.textValue() : candidate.toString()));
        errors.add(FieldError.notSupported(path, goValue(value), supported));
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static void checkString(String value, JsonNode s, String path, List<FieldError> errors) {
        int length = value.codePointCount(0, value.length());
        if (s.has("maxLength") && length > s.get("maxLength").asLong()) {
            errors.add(FieldError.tooLong(path, s.get("maxLength").asLong()));
        }
        if (s.has("minLength") && length < s.get("minLength").asLong()) {
            errors.add(FieldError.invalid(path, value, path + " in body should be at least " + s.get("minLength").asLong()
                    + " chars long"));
        }
        if (s.has("pattern") && !GoRegex.find(s.get("pattern").asText(), value)) {
            errors.add(FieldError.invalid(path, value, path + " in body should match '" + s.get("pattern").asText() + "'"));
        }
        if (s.has("format") && !validFormat(s.get("format").asText(), value)) {
            errors.add(new FieldError(FieldError.Type.TYPE_INVALID, path, path + ": Invalid value: " + FieldError.goQuote(value)
                    + ": " + path + " in body must be of type " + s.get("format").asText() + ": " + FieldError.goQuote(value)));
        }
    }

    /** The string formats the API server checks (k8s.io/kube-openapi strfmt) that these CRDs use. */
    private static boolean validFormat(String format, String value) {
        try {
            return switch (format) {
                case "byte" -> {
                    Base64.getDecoder().decode(value);
                    yield true;
                }
                case "date-time" -> {
                    OffsetDateTime.parse(value);
                    yield true;
                }
                case "ipv4" -> value.matches("^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");
                case "ipv6" -> value.contains(":") && value.matches("^[0-9A-Fa-f:.]+$")
                        && InetAddress.getByName(value) != null;
                default -> true; // int32, int64 and the rest are not checked for strings
            };
        } catch (IllegalArgumentException | DateTimeParseException | UnknownHostException e) {
            return false;
        }
    }

    private static void checkNumber(JsonNode value, JsonNode s, String path, List<FieldError> errors) {
        boolean integral = value.isIntegralNumber();
        BigDecimal number = value.decimalValue();
        Object shown = goValue(value);
        if (s.has("maximum")) {
            BigDecimal max = s.get("maximum").decimalValue();
            boolean exclusive = s.path("exclusiveMaximum").asBoolean(false);
            int cmp = number.compareTo(max);
            if (exclusive ? cmp >= 0 : cmp > 0) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be less than " + (exclusive ? "" : "or equal to ")
                        + bound(max, integral)));
            }
        }
        if (s.has("minimum")) {
            BigDecimal min = s.get("minimum").decimalValue();
            boolean exclusive = s.path("exclusiveMinimum").asBoolean(false);
            int cmp = number.compareTo(min);
            if (exclusive ? cmp <= 0 : cmp < 0) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be greater than " + (exclusive ? "" : "or equal to ")
                        + bound(min, integral)));
            }
        }
        if (s.has("multipleOf")) {
            BigDecimal factor = s.get("multipleOf").decimalValue();
            if (factor.signum() > 0 && number.remainder(factor).signum() != 0) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be a multiple of " + bound(factor, false)));
            }
        }
    }

    /** An integer value is compared with int64(bound) and printed so; a float with Go's %v. */
    private static String bound(BigDecimal bound, boolean integral) {
        return integral ? bound.toBigInteger().toString() : FieldError.goFloat(bound.doubleValue());
    }

    private void checkArray(JsonNode value, JsonNode s, Loc loc, boolean structural, List<FieldError> errors, List<CelTask> cel) {
        String path = loc.openApiPath();
        JsonNode items = s.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), items, loc.index(i), structural, errors, cel);
            }
        }
        if (s.has("minItems") && value.size() < s.get("minItems").asLong()) {
            errors.add(FieldError.invalid(path, (long) value.size(), path + " in body should have at least "
                    + s.get("minItems").asLong() + " items"));
        }
        if (s.has("maxItems") && value.size() > s.get("maxItems").asLong()) {
            errors.add(FieldError.tooMany(path, value.size(), s.get("maxItems").asLong()));
        }
        if (!structural) {
            return;
        }
        String listType = s.path("x-kubernetes-list-type").asText("atomic");
        if ("set".equals(listType)) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                if (!seen.add(value.get(i))) {
                    errors.add(FieldError.duplicate(loc.index(i).fieldPath(), goValue(value.get(i))));
                }
            }
        } else if ("map".equals(listType)) {
            List<String> keys = new ArrayList<>();
            s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
            Set<Map<String, Object>> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                Map<String, Object> key = new LinkedHashMap<>();
                for (String k : keys) {
                    JsonNode part = value.get(i).get(k);
                    if (part != null) {
                        key.put(k, goValue(part));
                    }
                }
                if (!seen.add(key)) {
                    errors.add(FieldError.duplicate(loc.index(i).fieldPath(), key));
                }
            }
        }
    }

    private void checkObject(JsonNode value, JsonNode s, Loc loc, boolean structural, List<FieldError> errors, List<CelTask> cel) {
        String path = loc.openApiPath();
        // Like kube-openapi's object validator, a property count error ends the object's validation.
        if (s.has("minProperties") && value.size() < s.get("minProperties").asLong()) {
            errors.add(FieldError.invalid(path, (long) value.size(), path + " in body should have at least "
                    + s.get("minProperties").asLong() + " properties"));
            return;
        }
        if (s.has("maxProperties") && value.size() > s.get("maxProperties").asLong()) {
            errors.add(FieldError.tooMany(path, value.size(), s.get("maxProperties").asLong()));
            return;
        }
        for (JsonNode required : s.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(FieldError.required(loc.child(required.asText()).openApiPath(), ""));
            }
        }
        JsonNode properties = s.path("properties");
        JsonNode additional = s.get("additionalProperties");
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                || additional != null && additional.isBoolean() && additional.booleanValue();
        boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean(false);
        value.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (loc.isRoot() && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) {
                if (!name.equals("metadata") && properties.has(name)) {
                    walk(field.getValue(), properties.get(name), loc.child(name), structural, errors, cel);
                }
            } else if (loc.isRoot() && name.equals("status") && statusSubresource) {
                // With the status subresource, a create ignores status: the API server drops it.
            } else if (properties.has(name)) {
                walk(field.getValue(), properties.get(name), loc.child(name), structural, errors, cel);
            } else if (additional != null && additional.isObject()) {
                walk(field.getValue(), additional, loc.key(name), structural, errors, cel);
            } else if (preserve || embedded && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) {
                // Kept as it is.
            } else if (structural) {
                errors.add(FieldError.unknownField(loc.child(name).fieldPath()));
            }
        });
    }

    /** Value validations in allOf/anyOf/oneOf/not: no defaults, no pruning, no CEL inside them. */
    private void checkComposition(JsonNode value, JsonNode s, Loc loc, List<FieldError> errors) {
        String path = loc.openApiPath();
        if (s.has("allOf")) {
            boolean all = true;
            for (JsonNode branch : s.get("allOf")) {
                List<FieldError> branchErrors = branchErrors(value, branch, loc);
                all &= branchErrors.isEmpty();
                errors.addAll(branchErrors);
            }
            if (!all) {
                errors.add(FieldError.invalid(path, "", path + " must validate all the schemas (allOf)"));
            }
        }
        if (s.has("anyOf")) {
            List<FieldError> best = null;
            for (JsonNode branch : s.get("anyOf")) {
                List<FieldError> branchErrors = branchErrors(value, branch, loc);
                if (branchErrors.isEmpty()) {
                    best = null;
                    break;
                }
                if (best == null || branchErrors.size() < best.size()) {
                    best = branchErrors;
                }
            }
            if (best != null) {
                errors.add(FieldError.invalid(path, "", path + " must validate at least one schema (anyOf)"));
                errors.addAll(best);
            }
        }
        if (s.has("oneOf")) {
            int valid = 0;
            List<FieldError> best = null;
            for (JsonNode branch : s.get("oneOf")) {
                List<FieldError> branchErrors = branchErrors(value, branch, loc);
                if (branchErrors.isEmpty()) {
                    valid++;
                } else if (best == null || branchErrors.size() < best.size()) {
                    best = branchErrors;
                }
            }
            if (valid != 1) {
                errors.add(FieldError.invalid(path, "", path + " must validate one and only one schema (oneOf)"
                        + (valid > 1 ? ". Found " + valid + " valid alternatives" : "")));
                if (valid == 0 && best != null) {
                    errors.addAll(best);
                }
            }
        }
        if (s.has("not") && branchErrors(value, s.get("not"), loc).isEmpty()) {
            errors.add(FieldError.invalid(path, "", path + " must not validate the schema (not)"));
        }
    }

    private List<FieldError> branchErrors(JsonNode value, JsonNode branch, Loc loc) {
        List<FieldError> branchErrors = new ArrayList<>();
        walk(value, branch, loc, false, branchErrors, null);
        return branchErrors;
    }

    // ---------------------------------------------------------------------------------------------------------
    // x-kubernetes-validations, as apiextensions-apiserver's CEL validator reports them.

    private void inventoryRules(JsonNode s, String schemaPath) {
        if (s == null || !s.isObject()) {
            return;
        }
        for (JsonNode rule : s.path("x-kubernetes-validations")) {
            ruleCount++;
            String text = rule.path("rule").asText();
            KubernetesCel.Compiled compiled = KubernetesCel.compile(text);
            if (compiled instanceof KubernetesCel.Broken broken) {
                brokenRules.add(new RuleIssue(schemaPath, text, broken.error()));
            } else if (compiled instanceof KubernetesCel.Unsupported unsupported) {
                unsupportedRules.add(new RuleIssue(schemaPath, text, unsupported.reason()));
            } else if (compiled instanceof KubernetesCel.Transition) {
                transitionRuleCount++;
            }
            if (rule.has("messageExpression")
                    && KubernetesCel.compile(rule.get("messageExpression").asText()) instanceof KubernetesCel.Broken broken) {
                brokenRules.add(new RuleIssue(schemaPath, rule.get("messageExpression").asText(), broken.error()));
            }
        }
        s.path("properties").fields().forEachRemaining(p -> inventoryRules(p.getValue(), schemaPath + ".properties[" + p.getKey() + "]"));
        inventoryRules(s.get("items"), schemaPath + ".items");
        inventoryRules(s.get("additionalProperties"), schemaPath + ".additionalProperties");
    }

    private void evaluateRules(CelTask task, Run run) {
        Object self = null;
        String type = task.schema().path("type").asText("");
        for (JsonNode rule : task.schema().get("x-kubernetes-validations")) {
            String text = rule.path("rule").asText();
            Loc loc = withFieldPath(task.loc(), rule.path("fieldPath").asText(""));
            String path = loc.fieldPath();
            KubernetesCel.Compiled compiled = KubernetesCel.compile(text);
            if (compiled instanceof KubernetesCel.Transition) {
                run.transitionSkipped++;
                continue;
            }
            if (compiled instanceof KubernetesCel.Unsupported unsupported) {
                run.notEvaluated.add(new RuleIssue(path, text, unsupported.reason()));
                continue;
            }
            if (compiled instanceof KubernetesCel.Broken broken) {
                run.errors.add(FieldError.invalid(path, type, "the rule does not compile, so the API server refuses this CRD: "
                        + text.strip() + ": " + firstLine(broken.error())));
                continue;
            }
            if (self == null) {
                self = KubernetesCel.value(task.value(), task.schema());
            }
            KubernetesCel.Outcome outcome = KubernetesCel.evaluate(text, self);
            if (outcome instanceof KubernetesCel.NotRun notRun) {
                run.notEvaluated.add(new RuleIssue(path, text, notRun.reason()));
                continue;
            }
            run.evaluated++;
            if (outcome instanceof KubernetesCel.Errored errored) {
                run.errors.add(FieldError.invalid(path, type, errored.error() + " evaluating rule: " + ruleErrorString(rule)));
            } else if (outcome instanceof KubernetesCel.Failed) {
                String message = rule.has("messageExpression")
                        ? KubernetesCel.evaluateMessage(rule.get("messageExpression").asText(), self)
                        : null;
                if (message == null) {
                    message = rule.path("message").asText("").isBlank() ? "failed rule: " + ruleErrorString(rule)
                            : rule.get("message").asText().strip();
                }
                run.errors.add(switch (rule.path("reason").asText("")) {
                    case "FieldValueForbidden" -> FieldError.forbidden(path, message);
                    case "FieldValueRequired" -> FieldError.required(path, message);
                    case "FieldValueDuplicate" -> FieldError.duplicate(path, type);
                    default -> FieldError.invalidOmittingValue(path, message);
                });
            }
        }
    }

    private static String ruleErrorString(JsonNode rule) {
        String message = rule.path("message").asText("");
        return message.isBlank() ? rule.path("rule").asText().strip() : message.strip();
    }

    private static Loc withFieldPath(Loc loc, String fieldPath) {
        Loc result = loc;
        Matcher matcher = FIELD_PATH_SEGMENT.matcher(fieldPath);
        while (matcher.find()) {
            if (matcher.group(1) != null) {
                result = result.child(matcher.group(1));
            } else if (matcher.group(2) != null) {
                result = result.child(matcher.group(2));
            } else {
                result = result.index(Integer.parseInt(matcher.group(3)));
            }
        }
        return result;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber() || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
    }

    /** The JSON type name the OpenAPI validator reports for a decoded value. */
    static String jsonType(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        return "null";
    }

    /** The Go value a JSON scalar decodes to: int64, float64, string, bool. */
    private static Object goValue(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNull()) {
            return null;
        }
        return value.toString();
    }

    private static ObjectMapper yamlMapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024); // the Envoy Gateway CRDs are large
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    }
}
