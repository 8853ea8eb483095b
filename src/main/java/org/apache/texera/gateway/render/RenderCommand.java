package org.apache.texera.gateway.render;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.GatewayRef;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * {@code render <texeragateway.yaml> [--pods <pods.yaml>] [--namespace <ns>]}: prints every object the operator would
 * write, as multi-document YAML, and on stderr the consent each other namespace (and cluster scope) must give first.
 * Exit codes: 0 done, 1 invalid spec, 2 bad usage or unreadable input.
 */
public final class RenderCommand {
    static final String USAGE = "usage: render <texeragateway.yaml> [--pods <pods.yaml>] [--namespace <namespace>]";
    static final String HELP = """
            Prints, as YAML on stdout, every object the operator would write for a TexeraGateway; no cluster is read.
              --pods <pods.yaml>       computing-unit pods (a v1 List or a YAML stream, e.g. kubectl get pods -o yaml):
                                       their unit Services and HTTPRoutes are printed too
              --namespace <namespace>  the TexeraGateway's namespace when the file names none (default: default)
            The consent a cluster must give first is printed on stderr. Exit 0: printed; 1: invalid spec (the message
            the status would show); 2: bad arguments or an unreadable file.""";

    private RenderCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String gatewayFile = null;
        String podsFile = null;
        String namespace = "default";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                out.println(HELP);
                return 0;
            }
            if ((arg.equals("--pods") || arg.equals("--namespace")) && i + 1 < args.size()) {
                if (arg.equals("--pods")) {
                    podsFile = args.get(++i);
                } else {
                    namespace = args.get(++i);
                }
            } else if (gatewayFile == null && !arg.startsWith("--")) {
                gatewayFile = arg;
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        if (gatewayFile == null) {
            err.println(USAGE);
            return 2;
        }
        try {
            List<Pod> pods = podsFile == null ? List.of() : Renderer.parsePods(Files.readString(Path.of(podsFile)));
            var gateway = Renderer.parseGateway(Files.readString(Path.of(gatewayFile)), namespace);
            List<HasMetadata> objects = Renderer.objects(gateway, pods);
            out.print(Renderer.toYaml(objects));
            // What a cluster must consent to before the operator writes all of this (stderr: stdout stays YAML).
            GatewayRef ref = new GatewayRef(gateway.getMetadata().getNamespace(), gateway.getMetadata().getName());
            for (Consent.Needed needed : Consent.needed(ref, objects)) {
                err.println("consent needed: " + Consent.labelCommand(needed, ref));
            }
            if (objects.stream().anyMatch(o -> o.getMetadata().getNamespace() == null)) {
                err.println("consent needed: the operator must run with texera.operator.allow-cluster-scoped-writes=true"
                        + " to create the GatewayClass");
            }
            return 0;
        } catch (Renderer.InvalidSpecException e) {
            err.println("InvalidSpec: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("cannot render " + gatewayFile + ": " + e.getMessage());
            return 2;
        }
    }
}
