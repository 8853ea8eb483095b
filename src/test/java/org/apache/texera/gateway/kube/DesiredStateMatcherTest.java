package org.apache.texera.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.function.Consumer;

import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayModel;
import org.apache.texera.gateway.model.TestGateways;
import org.apache.texera.gateway.model.UnitModel;
import org.apache.texera.gateway.model.UnitModel.UnitPod;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

class DesiredStateMatcherTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final EffectiveSpec SPEC = TestGateways.resolve("""
            hostname: texera.example.com
            tls: {secretName: cert, clusterIssuer: letsencrypt}
            """);
    private static final UnitPod POD = new UnitPod("computing-unit-7", "pod-uid-7", 7);

    private static final Service SERVICE = UnitModel.service(SPEC, POD);
    private static final HTTPRoute ROUTE = UnitModel.route(SPEC, POD);

    private static <T extends HasMetadata> T desired(Class<T> kind) {
        return GatewayModel.desired(TestGateways.gateway("""
                hostname: texera.example.com
                tls: {secretName: cert, clusterIssuer: letsencrypt}
                """), SPEC).objects().stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
    }

    /** The object as the API server would hand it back, after {@code edit} on its JSON. */
    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T actual(T desired, Consumer<ObjectNode> edit) {
        ObjectNode json = SERIALIZATION.convertValue(desired, ObjectNode.class);
        edit.accept(json);
        return (T) SERIALIZATION.convertValue(json, desired.getClass());
    }

    private static ObjectNode path(ObjectNode json, String... fields) {
        JsonNode node = json;
        for (String field : fields) {
            node = node.isArray() ? node.get(Integer.parseInt(field)) : node.get(field);
        }
        return (ObjectNode) node;
    }

    @Test
    void anIdenticalObjectMatches() {
        assertThat(DesiredStateMatcher.matches(SERVICE, actual(SERVICE, json -> {
        }))).isTrue();
        assertThat(DesiredStateMatcher.matches(ROUTE, actual(ROUTE, json -> {
        }))).isTrue();
    }

    @Test
    void serverBookkeepingAndStatusAreIgnored() {
        HTTPRoute live = actual(ROUTE, json -> {
            ObjectNode meta = path(json, "metadata");
            meta.put("resourceVersion", "123").put("uid", "route-uid").put("generation", 4)
                    .put("creationTimestamp", "2026-03-01T10:00:00Z");
            meta.putArray("managedFields").addObject().put("manager", "texera-gateway-operator");
            json.putObject("status").putArray("parents").addObject().put("controllerName", "x");
        });

        assertThat(DesiredStateMatcher.matches(ROUTE, live)).isTrue();
    }

    @Test
    void fieldsTheServerDefaultsStillMatch() {
        HTTPRoute live = actual(ROUTE, json -> {
            ObjectNode backend = path(json, "spec", "rules", "0", "backendRefs", "0");
            backend.put("group", "").put("kind", "Service").put("weight", 1);
        });
        Service liveService = actual(SERVICE, json -> {
            ObjectNode spec = path(json, "spec");
            spec.putArray("clusterIPs").add("None");
            spec.putArray("ipFamilies").add("IPv4");
            spec.put("ipFamilyPolicy", "SingleStack").put("sessionAffinity", "None").put("type", "ClusterIP")
                    .put("internalTrafficPolicy", "Cluster");
        });

        assertThat(DesiredStateMatcher.matches(ROUTE, live)).isTrue();
        assertThat(DesiredStateMatcher.matches(SERVICE, liveService)).isTrue();
    }

    @Test
    void labelsAnnotationsAndOwnersAddedByOthersStillMatch() {
        Gateway gateway = desired(Gateway.class);
        Gateway live = actual(gateway, json -> {
            path(json, "metadata", "labels").put("team", "platform");
            path(json, "metadata", "annotations").put("kubectl.kubernetes.io/last-applied-configuration", "{}");
            ((ArrayNode) path(json, "metadata").get("ownerReferences")).addObject().put("apiVersion", "v1")
                    .put("kind", "ConfigMap").put("name", "other").put("uid", "other-uid");
        });

        assertThat(DesiredStateMatcher.matches(gateway, live)).isTrue();
    }

    @Test
    void aChangedValueDoesNotMatch() {
        HTTPRoute live = actual(ROUTE, json -> path(json, "spec", "rules", "0", "timeouts").put("request", "15s"));

        assertThat(DesiredStateMatcher.matches(ROUTE, live)).isFalse();
    }

    @Test
    void aValueTheServerDroppedDoesNotMatch() {
        SecurityPolicy policy = desired(SecurityPolicy.class);
        SecurityPolicy live = actual(policy, json -> path(json, "spec", "extAuth").remove("failOpen"));

        assertThat(DesiredStateMatcher.matches(policy, live)).isFalse();
    }

    @Test
    void aMissingLabelDoesNotMatch() {
        Service live = actual(SERVICE, json -> path(json, "metadata", "labels").remove("texera.apache.org/unit-id"));

        assertThat(DesiredStateMatcher.matches(SERVICE, live)).isFalse();
    }

    @Test
    void aLabelWithAnotherValueDoesNotMatch() {
        Service live = actual(SERVICE, json -> path(json, "metadata", "labels").put("texera.apache.org/unit-id", "8"));

        assertThat(DesiredStateMatcher.matches(SERVICE, live)).isFalse();
    }

    @Test
    void aMissingAnnotationDoesNotMatch() {
        Gateway gateway = desired(Gateway.class);
        Gateway live = actual(gateway, json -> path(json, "metadata").remove("annotations"));

        assertThat(DesiredStateMatcher.matches(gateway, live)).isFalse();
    }

    @Test
    void aMissingOwnerReferenceDoesNotMatch() {
        Service live = actual(SERVICE, json -> path(json, "metadata").remove("ownerReferences"));

        assertThat(DesiredStateMatcher.matches(SERVICE, live)).isFalse();
    }

    @Test
    void anOwnerReferenceToAnotherPodOrWithAnotherControllerFlagDoesNotMatch() {
        Service otherPod = actual(SERVICE, json -> path(json, "metadata", "ownerReferences", "0").put("uid", "pod-uid-8"));
        Service asController = actual(SERVICE, json -> path(json, "metadata", "ownerReferences", "0").put("controller", true));

        assertThat(DesiredStateMatcher.matches(SERVICE, otherPod)).isFalse();
        assertThat(DesiredStateMatcher.matches(SERVICE, asController)).isFalse();
    }

    @Test
    void anOwnerReferenceIsFoundAmongOthers() {
        Service live = actual(SERVICE, json -> ((ArrayNode) path(json, "metadata").get("ownerReferences")).insert(0,
                SERIALIZATION.convertValue(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName("x")
                        .withUid("x").build(), ObjectNode.class)));

        assertThat(DesiredStateMatcher.matches(SERVICE, live)).isTrue();
    }

    @Test
    void aListOfAnotherLengthDoesNotMatch() {
        HTTPRoute longer = actual(ROUTE, json -> ((ArrayNode) path(json, "spec", "rules", "0").get("matches")).addObject()
                .putObject("path").put("type", "PathPrefix").put("value", "/extra"));
        HTTPRoute shorter = actual(ROUTE, json -> ((ArrayNode) path(json, "spec", "rules", "0").get("matches")).remove(0));

        assertThat(DesiredStateMatcher.matches(ROUTE, longer)).isFalse();
        assertThat(DesiredStateMatcher.matches(ROUTE, shorter)).isFalse();
    }

    @Test
    void listsAreComparedInOrder() {
        HTTPRoute swapped = actual(ROUTE, json -> {
            ArrayNode matches = (ArrayNode) path(json, "spec", "rules", "0").get("matches");
            JsonNode first = matches.remove(0);
            matches.add(first);
        });

        assertThat(DesiredStateMatcher.matches(ROUTE, swapped)).isFalse();
    }

    @Test
    void numbersAreComparedByValueNotByJsonType() {
        assertThat(DesiredStateMatcher.isSubset(IntNode.valueOf(8085), LongNode.valueOf(8085))).isTrue();
        assertThat(DesiredStateMatcher.isSubset(IntNode.valueOf(8085), DecimalNode.valueOf(new BigDecimal("8085.0"))))
                .isTrue();
        assertThat(DesiredStateMatcher.isSubset(IntNode.valueOf(8085), LongNode.valueOf(8086))).isFalse();
        assertThat(DesiredStateMatcher.isSubset(IntNode.valueOf(8085), JSON.textNode("8085"))).isFalse();
    }

    @Test
    void anEmptyObjectOrListIsSatisfiedByAnAbsentOne() {
        assertThat(DesiredStateMatcher.isSubset(JSON.objectNode(), null)).isTrue();
        assertThat(DesiredStateMatcher.isSubset(JSON.arrayNode(), null)).isTrue();
        assertThat(DesiredStateMatcher.isSubset(JSON.nullNode(), JSON.textNode("anything"))).isTrue();
        assertThat(DesiredStateMatcher.isSubset(JSON.objectNode().put("a", 1), null)).isFalse();
        assertThat(DesiredStateMatcher.isSubset(JSON.arrayNode().add(1), JSON.objectNode())).isFalse();
        assertThat(DesiredStateMatcher.isSubset(JSON.textNode("x"), null)).isFalse();
    }
}
