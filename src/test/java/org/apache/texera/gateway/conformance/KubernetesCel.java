package org.apache.texera.gateway.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * The CEL environment of {@code x-kubernetes-validations}, on Google's CEL-Java: the standard library and macros
 * (has, all, exists, exists_one, filter, map, size, matches, startsWith, endsWith, contains, duration, timestamp)
 * plus the extensions Kubernetes also enables and CEL-Java has (strings: lowerAscii, upperAscii, split, replace,
 * ...; optional types; cel.bind; sets). Kubernetes' own libraries (urls, ip/cidr, quantity, semver, format, its
 * list and regex functions) have no CEL-Java implementation here: a rule that needs one is reported as not
 * evaluated, never passed.
 *
 * <p>{@code self} is declared dyn and given as maps and lists, so a rule is parsed and checked like the API server
 * does it (a syntax error or an unknown function is a compile failure), but types of fields are only checked when
 * the rule runs.
 */
final class KubernetesCel {

    /** Functions of the Kubernetes CEL libraries that CEL-Java lacks. */
    static final Set<String> KUBERNETES_ONLY_FUNCTIONS = Set.of(
            // k8s.io/apiserver/pkg/cel/library: urls
            "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
            // ip and cidr
            "ip", "isIP", "cidr", "isCIDR", "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast",
            "isLinkLocalUnicast", "isGlobalUnicast", "isCanonical", "containsIP", "containsCIDR", "prefixLength", "masked",
            // quantity
            "quantity", "isQuantity", "sign", "isGreaterThan", "isLessThan", "compareTo", "add", "sub", "asInteger",
            "asApproximateFloat", "isInteger",
            // semver
            "semver", "isSemver", "major", "minor", "patch",
            // lists and regex
            "isSorted", "sum", "min", "max", "indexOf", "lastIndexOf", "find", "findAll",
            // format and authorizer
            "format", "named", "validate", "dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName",
            "dns1123LabelPrefix", "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte",
            "date", "datetime", "authorizer");

    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");
    private static final Pattern NO_OVERLOAD = Pattern.compile("found no matching overload for '([^']+)'");
    private static final Pattern MISSING_KEY = Pattern.compile("key '([^']*)' is not present in map\\.?");
    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    /** CEL reserved words; Kubernetes escapes a property with such a name as __name__. */
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void",
            "while");
    private static final Pattern EXPAND = Pattern.compile("(__|[-./]|[^a-zA-Z0-9\\-./_])");

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.bindings(),
                    CelExtensions.sets(CelOptions.DEFAULT))
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(CelOptions.DEFAULT))
            .build();

    private static final Map<String, Compiled> CACHE = new ConcurrentHashMap<>();

    /** A compiled rule, or why it cannot run. */
    sealed interface Compiled {
    }

    record Program(CelRuntime.Program program) implements Compiled {
    }

    /** A rule that compares with the old object: there is none on create, so the API server skips it too. */
    record Transition() implements Compiled {
    }

    /** The rule needs functions of a Kubernetes CEL library that CEL-Java does not have. */
    record Unsupported(String reason) implements Compiled {
    }

    /** The rule does not compile: the API server refuses the whole CRD. */
    record Broken(String error) implements Compiled {
    }

    /** The outcome of one rule on one value. */
    sealed interface Outcome {
    }

    record Passed() implements Outcome {
    }

    record Failed() implements Outcome {
    }

    /** The rule ran but failed with an error (a missing key, a bad type): the API server reports it. */
    record Errored(String error) implements Outcome {
    }

    record NotRun(String reason) implements Outcome {
    }

    private KubernetesCel() {
    }

    static Compiled compile(String rule) {
        return CACHE.computeIfAbsent(rule, KubernetesCel::doCompile);
    }

    private static Compiled doCompile(String rule) {
        if (OLD_SELF.matcher(rule).find()) {
            return new Transition();
        }
        try {
            CelAbstractSyntaxTree ast = CEL.compile(rule).getAst();
            return new Program(CEL.createProgram(ast));
        } catch (CelValidationException e) {
            List<String> missing = new ArrayList<>();
            boolean onlyMissingKubernetesFunctions = !e.getErrors().isEmpty();
            for (CelIssue issue : e.getErrors()) {
                String name = referencedFunction(issue.getMessage());
                if (name != null && KUBERNETES_ONLY_FUNCTIONS.contains(name)) {
                    missing.add(name);
                } else {
                    onlyMissingKubernetesFunctions = false;
                }
            }
            if (onlyMissingKubernetesFunctions) {
                return new Unsupported("needs Kubernetes CEL function(s) " + String.join(", ", missing.stream().distinct().toList())
                        + ", which CEL-Java does not provide");
            }
            return new Broken(e.getMessage());
        } catch (CelEvaluationException e) {
            return new Broken(e.getMessage());
        }
    }

    private static String referencedFunction(String message) {
        for (Pattern pattern : List.of(UNDECLARED, NO_OVERLOAD)) {
            Matcher matcher = pattern.matcher(message);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    static Outcome evaluate(String rule, Object self) {
        Compiled compiled = compile(rule);
        if (!(compiled instanceof Program program)) {
            throw new IllegalStateException("rule is not runnable: " + rule);
        }
        try {
            Object result = program.program().eval(Map.of("self", self));
            if (result instanceof Boolean b) {
                return b ? new Passed() : new Failed();
            }
            return new Errored("the rule returned " + result + ", not a bool");
        } catch (CelEvaluationException e) {
            String message = e.getMessage();
            if (message.contains("No matching overload") && KUBERNETES_ONLY_FUNCTIONS.stream().anyMatch(rule::contains)) {
                return new NotRun("a function of a Kubernetes CEL library ran on a type CEL-Java does not bind: " + message);
            }
            return new Errored(goStyle(message));
        }
    }

    /** cel-go's words for the common runtime errors, which the API server prints. */
    private static String goStyle(String message) {
        String bare = message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
        Matcher missingKey = MISSING_KEY.matcher(bare);
        return missingKey.matches() ? "no such key: " + missingKey.group(1) : bare;
    }

    /** Evaluates a messageExpression; null when it fails, so the caller falls back to the message. */
    static String evaluateMessage(String expression, Object self) {
        try {
            Object result = ((Program) compile(expression)).program().eval(Map.of("self", self));
            return result instanceof String s && !s.isBlank() ? s : null;
        } catch (RuntimeException | CelEvaluationException e) {
            return null;
        }
    }

    /**
     * The CEL value of an object node as Kubernetes builds it: structured objects become maps keyed by the escaped
     * property names (unknown fields are pruned and so are absent), maps keep their keys, integers are int, numbers
     * double.
     */
    static Object value(JsonNode node, JsonNode schema) {
        if (node == null || node.isNull()) {
            return NullValue.NULL_VALUE;
        }
        JsonNode properties = schema == null ? null : schema.get("properties");
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            JsonNode additional = schema == null ? null : schema.get("additionalProperties");
            node.fields().forEachRemaining(field -> {
                if (properties != null && properties.has(field.getKey())) {
                    String escaped = escape(field.getKey());
                    if (escaped != null) {
                        map.put(escaped, value(field.getValue(), properties.get(field.getKey())));
                    }
                } else if (additional != null && additional.isObject()) {
                    map.put(field.getKey(), value(field.getValue(), additional));
                } else if (properties == null || preservesUnknownFields(schema)) {
                    map.put(field.getKey(), value(field.getValue(), null));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            JsonNode items = schema == null ? null : schema.get("items");
            node.forEach(item -> list.add(value(item, items)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        boolean number = schema != null && "number".equals(schema.path("type").asText());
        if (!number && (node.isIntegralNumber() || node.doubleValue() == Math.rint(node.doubleValue()))) {
            return node.longValue();
        }
        return node.doubleValue();
    }

    private static boolean preservesUnknownFields(JsonNode schema) {
        return schema != null && schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }

    /** k8s.io/apiserver/pkg/cel: Escape; null for a name that CEL cannot reach. */
    static String escape(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return null;
        }
        if (RESERVED.contains(name)) {
            return "__" + name + "__";
        }
        StringBuilder out = new StringBuilder();
        Matcher matcher = EXPAND.matcher(name);
        while (matcher.find()) {
            String replacement = switch (matcher.group()) {
                case "__" -> "__underscores__";
                case "." -> "__dot__";
                case "-" -> "__dash__";
                case "/" -> "__slash__";
                default -> null;
            };
            if (replacement == null) {
                return null;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
