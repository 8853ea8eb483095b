package org.apache.texera.gateway.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayModel;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.UnitModel;
import org.apache.texera.gateway.model.UnitRouting;
import org.apache.texera.gateway.model.UnitRouting.PodFacts;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Prints what the operator would write for a TexeraGateway (and, optionally, a set of pods), with no cluster: the
 * same model code the reconcilers run, like {@code helm template}.
 */
public final class Renderer {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The spec could not be resolved; the message is the one the TexeraGateway's status would show. */
    public static final class InvalidSpecException extends Exception {
        public InvalidSpecException(String message) {
            super(message);
        }
    }

    private Renderer() {
    }

    public static TexeraGateway parseGateway(String yaml, String defaultNamespace) {
        Map<String, Object> raw = SERIALIZATION.unmarshal(yaml, Map.class);
        if (raw == null || !"TexeraGateway".equals(raw.get("kind"))
                || !String.valueOf(raw.get("apiVersion")).startsWith(TexeraGateway.GROUP + "/")) {
            throw new IllegalArgumentException("the input is not a TexeraGateway (apiVersion " + TexeraGateway.GROUP
                    + "/" + TexeraGateway.VERSION + ")");
        }
        TexeraGateway gateway = SERIALIZATION.unmarshal(yaml, TexeraGateway.class);
        if (gateway.getMetadata() == null) {
            throw new IllegalArgumentException("the TexeraGateway has no metadata");
        }
        if (gateway.getMetadata().getNamespace() == null) {
            gateway.getMetadata().setNamespace(defaultNamespace);
        }
        return gateway;
    }

    /** Pods from a v1 List, a PodList or a multi-document YAML stream; other kinds are ignored. */
    public static List<Pod> parsePods(String yaml) {
        List<Pod> pods = new ArrayList<>();
        Object parsed = SERIALIZATION.unmarshal(yaml);
        collectPods(parsed, pods);
        return pods;
    }

    private static void collectPods(Object parsed, List<Pod> pods) {
        if (parsed instanceof Pod pod) {
            pods.add(pod);
        } else if (parsed instanceof KubernetesResourceList<?> list) {
            for (KubernetesResource item : list.getItems()) {
                collectPods(item, pods);
            }
        } else if (parsed instanceof List<?> items) {
            items.forEach(item -> collectPods(item, pods));
        }
    }

    public static List<HasMetadata> objects(TexeraGateway gateway, List<Pod> pods) throws InvalidSpecException {
        SpecResolution resolution = SpecResolver.resolve(gateway);
        if (resolution instanceof SpecResolution.Invalid invalid) {
            throw new InvalidSpecException(invalid.message());
        }
        EffectiveSpec spec = ((SpecResolution.Valid) resolution).spec();
        List<HasMetadata> objects = new ArrayList<>(GatewayModel.desired(gateway, spec).objects());
        List<PodFacts> facts = pods.stream().map(PodFacts::of).toList();
        facts.stream().sorted(UnitRouting.OLDEST_FIRST).forEach(pod -> {
            if (UnitRouting.decide(spec, pod, facts, 1) instanceof UnitRouting.Route route) {
                objects.addAll(UnitModel.desired(spec, route.unit()));
            }
        });
        return objects;
    }

    /** Multi-document YAML, in the order the operator writes the objects. */
    public static String toYaml(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata object : objects) {
            String yaml = SERIALIZATION.asYaml(object);
            out.append(yaml.startsWith("---") ? yaml : "---\n" + yaml);
        }
        return out.toString();
    }
}
