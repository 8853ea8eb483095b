package org.apache.texera.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The validator itself, on a small CRD written here: each check must be able to fail, with the API server's words.
 * Runs without the upstream CRD folder.
 */
class CrdSchemaValidatorTest {

    private static final CrdSchemaValidator WIDGETS = CrdSchemaValidator.of(CrdSchemaValidator.readYaml("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [name]
                        x-kubernetes-validations:
                        - rule: "!has(self.min) || !has(self.max) || self.min <= self.max"
                          message: min must not exceed max
                        - rule: "self.name == oldSelf.name"
                          message: name is immutable
                        properties:
                          name: {type: string, minLength: 1, maxLength: 8, pattern: '^[a-z]+$'}
                          mode: {type: string, enum: [Fast, Slow], default: Fast}
                          min: {type: integer, minimum: 0}
                          max: {type: integer, maximum: 10, exclusiveMaximum: true}
                          ratio: {type: number, minimum: 0.5, exclusiveMinimum: true}
                          port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                          note: {type: string, nullable: true}
                          tags:
                            type: array
                            minItems: 1
                            maxItems: 2
                            x-kubernetes-list-type: set
                            items: {type: string}
                          labels:
                            type: object
                            maxProperties: 1
                            additionalProperties: {type: string}
                          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          url:
                            type: string
                            x-kubernetes-validations:
                            - rule: "isURL(self)"
                              message: must be a URL
                          ref:
                            type: object
                            properties:
                              namespace: {type: string}
                            x-kubernetes-validations:
                            - rule: "!has(self.__namespace__) || self.__namespace__ != 'kube-system'"
                              message: not in kube-system
                                """), "v1");

    private static JsonNode widget(String spec) {
        return CrdSchemaValidator.readYaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w, namespace: ns}
                spec:
                """ + spec.indent(2));
    }

    private static CrdSchemaValidator.Result validate(String spec) {
        return WIDGETS.validate(widget(spec));
    }

    @Test
    void aValidObjectPassesAndDefaultsApply() {
        CrdSchemaValidator.Result result = validate("""
                name: abc
                min: 1
                max: 9
                ratio: 0.75
                port: http
                note: null
                tags: [a, b]
                labels: {x: y}
                extra: {anything: [1, 2]}
                ref: {namespace: default}
                """);
        assertThat(result.errors()).isEmpty();
        // spec, ref: two evaluated; the oldSelf rule is skipped; isURL cannot run on CEL-Java.
        assertThat(result.rulesEvaluated()).isEqualTo(2);
        assertThat(result.transitionRulesSkipped()).isEqualTo(1);
        assertThat(result.notEvaluated()).isEmpty();
    }

    @Test
    void typesDistinguishIntegerFromNumberAndIntOrString() {
        assertThat(validate("""
                name: abc
                min: 1.5
                port: 2.5
                ratio: 1
                """).errors()).containsExactly(
                "spec.min: Invalid value: \"number\": spec.min in body must be of type integer: \"number\"",
                "spec.port: Invalid value: \"number\": spec.port in body must be of type integer,string: \"number\"",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
    }

    @Test
    void stringsNumbersListsAndMapsHaveTheirBounds() {
        assertThat(validate("""
                name: ABCDEFGHIJ
                min: -1
                max: 10
                ratio: 0.5
                tags: [a, b, a]
                labels: {a: b, c: d}
                """).errors()).containsExactlyInAnyOrder(
                "spec.name: Too long: may not be more than 8 bytes",
                "spec.name: Invalid value: \"ABCDEFGHIJ\": spec.name in body should match '^[a-z]+$'",
                "spec.min: Invalid value: -1: spec.min in body should be greater than or equal to 0",
                "spec.max: Invalid value: 10: spec.max in body should be less than 10",
                "spec.ratio: Invalid value: 0.5: spec.ratio in body should be greater than 0.5",
                "spec.tags: Too many: 3: must have at most 2 items",
                "spec.tags[2]: Duplicate value: \"a\"",
                "spec.labels: Too many: 2: must have at most 1 items",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
        assertThat(validate("""
                name: ""
                tags: []
                """).errors()).containsExactlyInAnyOrder(
                "spec.name: Invalid value: \"\": spec.name in body should be at least 1 chars long",
                "spec.name: Invalid value: \"\": spec.name in body should match '^[a-z]+$'",
                "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
    }

    @Test
    void requiredEnumNullableAndUnknownFields() {
        assertThat(validate("""
                mode: Medium
                name: null
                colour: red
                ref: {namespace: a, cluster: b}
                """).errors()).containsExactlyInAnyOrder(
                "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"",
                "spec.name: Invalid value: \"null\": spec.name in body must be of type string: \"null\"",
                "unknown field \"spec.colour\"",
                "unknown field \"spec.ref.cluster\"",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
        assertThat(validate("min: 1").errors()).containsExactly(
                "spec.name: Required value",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
    }

    @Test
    void celRulesRunWithKubernetesEscapingAndReportTheirMessage() {
        assertThat(validate("""
                name: abc
                min: 5
                max: 3
                ref: {namespace: kube-system}
                """).errors()).containsExactly(
                "spec: Invalid value: min must not exceed max",
                "spec.ref: Invalid value: not in kube-system");
    }

    @Test
    void aRuleNeedingAKubernetesOnlyFunctionIsNotEvaluatedNorPassed() {
        CrdSchemaValidator.Result result = validate("""
                name: abc
                url: https://example.com
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.notEvaluated()).singleElement().satisfies(issue -> {
            assertThat(issue.path()).isEqualTo("spec.url");
            assertThat(issue.rule()).isEqualTo("isURL(self)");
            assertThat(issue.reason()).contains("isURL");
        });
        assertThat(WIDGETS.unsupportedRules()).hasSize(1);
        assertThat(WIDGETS.brokenRules()).isEmpty();
        assertThat(WIDGETS.ruleCount()).isEqualTo(4);
    }

    @Test
    void metadataNeedsANameInTheApiServersFormat() {
        JsonNode noName = CrdSchemaValidator.readYaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {namespace: ns, labels: {"bad key": "v"}}
                spec: {name: abc}
                """);
        assertThat(WIDGETS.validate(noName).errors()).containsExactly(
                "metadata.name: Required value: name or generateName is required",
                "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' "
                        + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                        + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
        JsonNode badName = CrdSchemaValidator.readYaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: Bad_Name, namespace: ns}
                spec: {name: abc}
                """);
        assertThat(WIDGETS.validate(badName).errors()).containsExactly("metadata.name: Invalid value: \"Bad_Name\": "
                + ObjectMetaRules.DNS1123_SUBDOMAIN_MESSAGE);
    }

    @Test
    void aRuleThatDoesNotCompileIsABrokenCrd() {
        CrdSchemaValidator broken = CrdSchemaValidator.of(CrdSchemaValidator.readYaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.com}
                spec:
                  group: example.com
                  names: {kind: Thing, plural: things}
                  scope: Cluster
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              path:
                                type: string
                                x-kubernetes-validations:
                                - rule: "self.matches('^a\\\\.b$')"
                                  message: must be a.b
                """), "v1");
        assertThat(broken.brokenRules()).singleElement()
                .satisfies(issue -> assertThat(issue.path()).isEqualTo("openAPIV3Schema.properties[spec].properties[path]"));
        JsonNode thing = CrdSchemaValidator.readYaml("""
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t, namespace: not-allowed}
                spec: {path: a.b}
                """);
        assertThat(broken.validate(thing).errors()).satisfiesExactly(
                e -> assertThat(e).isEqualTo("metadata.namespace: Forbidden: not allowed on this type"),
                e -> assertThat(e).startsWith("spec.path: Invalid value: \"string\": the rule does not compile, so the API "
                        + "server refuses this CRD: self.matches('^a\\.b$')"));
    }

    @Test
    void aRuleThatFailsToRunIsReportedInCelGosWords() {
        CrdSchemaValidator gadgets = CrdSchemaValidator.of(CrdSchemaValidator.readYaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.com}
                spec:
                  group: example.com
                  names: {kind: Gadget, plural: gadgets}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              type: {type: string}
                              path: {type: string}
                            x-kubernetes-validations:
                            - rule: "self.type == 'Regex' || self.path.startsWith('/')"
                              message: path must be absolute
                """), "v1");
        JsonNode gadget = CrdSchemaValidator.readYaml("""
                apiVersion: example.com/v1
                kind: Gadget
                metadata: {name: g, namespace: ns}
                spec: {path: a}
                """);
        // CEL's || absorbs an error when the other side is true, so only a bad path surfaces the missing key.
        assertThat(gadgets.validate(CrdSchemaValidator.readYaml(gadget.toString().replace("\"a\"", "\"/a\""))).errors()).isEmpty();
        assertThat(gadgets.validate(gadget).errors()).containsExactly(
                "spec: Invalid value: \"object\": no such key: type evaluating rule: path must be absolute");
    }

    @Test
    void goRegexSearchesAndDollarIsTheVeryEnd() {
        assertThat(GoRegex.find("[a-z]+", "ABC def")).isTrue();
        assertThat(GoRegex.find("^[a-z]+$", "abc\n")).isFalse();
        assertThat(GoRegex.find("^[[:alpha:]]+$", "abc")).isTrue();
        assertThat(GoRegex.find("^(?P<word>[a-z]+)$", "abc")).isTrue();
    }

    @Test
    void goFormattingOfValues() {
        assertThat(FieldError.goFloat(0.5)).isEqualTo("0.5");
        assertThat(FieldError.goFloat(1.048576E7)).isEqualTo("1.048576e+07");
        assertThat(FieldError.goFloat(100000)).isEqualTo("100000");
        assertThat(FieldError.goQuote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
    }
}
