package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's quick start, followed literally on an empty namespace of the real API server: its shell lines run as
 * written (kubectl on the PATH, the admin's kubeconfig), its {@code kubectl wait} in the background from the start.
 * Envoy Gateway's status is written by hand, step by step, as Envoy Gateway writes it; {@code kubectl wait} watches the
 * TexeraGateway, so it would exit at the first moment Ready were True. It must still be waiting after every step that
 * leaves something unserved, and pass only once every listener, route and policy is programmed. Then a listener breaks:
 * Ready turns False again, with a Warning Event, and the metrics say so.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class ReadmeQuickStartApiServerTest extends OperatorOnApiServer {
    private static final Path README = KitBinaries.project().resolve("README.md");
    private static final String NAMESPACE = "texera";
    private static final String NAME = "texera";

    @TestHTTPResource("/q/metrics")
    URL metrics;

    /** The shell block of the quick start: the commands after "Then create Texera's namespaces". */
    static List<String> quickStartCommands() {
        try {
            String readme = Files.readString(README);
            int intro = readme.indexOf("Then create Texera's namespaces");
            assertThat(intro).as("the quick start in README.md").isPositive();
            int start = readme.indexOf("```sh\n", intro) + "```sh\n".length();
            int end = readme.indexOf("```", start);
            return readme.substring(start, end).lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One README line, as a user's shell runs it, in the project's folder, with the kit's kubectl first on the PATH. */
    private Process shell(String line) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", line).directory(KitBinaries.project().toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", kit.binary("kubectl").getParent() + ":" + System.getenv("PATH"));
        env.put("KUBECONFIG", kit.adminKubeconfig().toString());
        return builder.start();
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private Condition readyNow() {
        return ready(admin.resources(TexeraGateway.class).inNamespace(NAMESPACE).withName(NAME).get());
    }

    private List<Event> warnings(String reason) {
        return admin.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && "TexeraGateway".equals(e.getInvolvedObject().getKind()))
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    private String metricsText() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theQuickStartWaitsUntilEnvoyGatewayServesEverythingAndSaysWhenAListenerBreaks() throws Exception {
        List<String> commands = quickStartCommands();
        assertThat(commands).as("the quick start's commands").hasSizeGreaterThanOrEqualTo(4);
        String waitLine = commands.get(commands.size() - 1);
        assertThat(waitLine).contains("kubectl", "wait", "texeragateway/" + NAME, "--for=condition=Ready");
        for (String line : commands.subList(0, commands.size() - 1)) {
            Process step = shell(line);
            String out = output(step);
            assertThat(step.waitFor(60, TimeUnit.SECONDS)).as(line).isTrue();
            assertThat(step.exitValue()).as("%s:%n%s", line, out).isZero();
        }
        Process wait = shell(waitLine);
        try {
            // 1. The operator has written the topology; Envoy Gateway has said nothing yet.
            await().atMost(WAIT).until(() -> admin.resources(HTTPRoute.class).inNamespace(NAMESPACE).list().getItems()
                    .size() == 9);
            await().atMost(WAIT).untilAsserted(() -> assertThat(readyNow())
                    .returns("False", Condition::getStatus).returns(Conditions.REASON_WAITING, Condition::getReason));
            assertThat(wait.isAlive()).as("kubectl wait while Envoy Gateway has not answered").isTrue();

            // 2. Envoy Gateway answers as it does while Texera's Services do not exist yet: every route's backend is
            // missing. The README says Ready stays False, RejectedByEnvoyGateway, naming the first missing one.
            // The routes first: at no moment of this step is everything programmed.
            EnvoyGatewayStandIn envoyGateway = new EnvoyGatewayStandIn(admin);
            List<HTTPRoute> routes = admin.resources(HTTPRoute.class).inNamespace(NAMESPACE).list().getItems();
            for (HTTPRoute route : routes) {
                envoyGateway.rejectBackend(NAMESPACE, route.getMetadata().getName(), NAMESPACE, NAME,
                        "Failed to process route rule 0 backendRef 0: service " + NAMESPACE + "/"
                                + backends(route).get(0).getName() + " not found.");
            }
            envoyGateway.programGateway(NAMESPACE, NAME, true);
            envoyGateway.programPolicies(NAMESPACE, NAME, true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(readyNow())
                    .returns("False", Condition::getStatus).returns(Conditions.REASON_REJECTED, Condition::getReason)
                    .satisfies(c -> assertThat(c.getMessage()).contains("BackendNotFound", "not found")));
            await().atMost(WAIT).until(() -> !warnings(Conditions.REASON_REJECTED).isEmpty());
            assertThat(wait.isAlive()).as("kubectl wait while every backend is missing").isTrue();

            // 3. Texera's chart creates its nine Services; Envoy Gateway resolves them and programs everything.
            Map<String, Integer> services = new HashMap<>();
            routes.forEach(route -> backends(route).forEach(ref -> services.put(ref.getName(), ref.getPort())));
            assertThat(services).as("the Services the minimal example routes to").hasSize(9);
            services.forEach((service, port) -> admin.resource(new ServiceBuilder().withNewMetadata()
                    .withNamespace(NAMESPACE).withName(service).endMetadata().withNewSpec().addNewPort().withPort(port)
                    .endPort().endSpec().build()).create());
            assertThat(wait.isAlive()).as("kubectl wait before Envoy Gateway has seen the Services").isTrue();
            envoyGateway.programAll(NAMESPACE, NAME, true);
            assertThat(wait.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("kubectl wait once everything is programmed")
                    .isTrue();
            String waited = output(wait);
            assertThat(wait.exitValue()).as(waited).isZero();
            assertThat(waited).contains("texeragateway.texera.apache.org/" + NAME + " condition met");
            assertThat(readyNow().getReason()).isEqualTo("Ready");
            String table = kit.kubectl("get", "tgw", "-n", NAMESPACE);
            assertThat(table.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                    .startsWith(NAME, "True", "0", EnvoyGatewayStandIn.ADDRESS);
            await().atMost(WAIT).until(this::metricsText,
                    text -> text.contains("texera_gateway_ready{gateway=\"" + NAMESPACE + "/" + NAME + "\"} 1.0"));

            // 4. A listener breaks: Ready False again, with the reason that says to act, and a Warning Event.
            int rejectedBefore = warnings(Conditions.REASON_REJECTED).size();
            envoyGateway.breakListener(NAMESPACE, NAME, "http", "InvalidRouteKinds", "HTTPRoute is not a supported kind");
            Process notReady = shell("kubectl -n " + NAMESPACE + " wait texeragateway/" + NAME
                    + " --for=condition=Ready=false --timeout=60s");
            assertThat(notReady.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = output(notReady);
            assertThat(notReady.exitValue()).as(out).isZero();
            assertThat(readyNow()).returns(Conditions.REASON_REJECTED, Condition::getReason)
                    .satisfies(c -> assertThat(c.getMessage()).contains("listener http: ResolvedRefs=False "
                            + "(InvalidRouteKinds): HTTPRoute is not a supported kind"));
            await().atMost(WAIT).until(() -> warnings(Conditions.REASON_REJECTED).size() > rejectedBefore);
            await().atMost(WAIT).until(this::metricsText,
                    text -> text.contains("texera_gateway_ready{gateway=\"" + NAMESPACE + "/" + NAME + "\"} 0.0"));
        } finally {
            wait.destroyForcibly();
            admin.resources(TexeraGateway.class).inNamespace(NAMESPACE).withName(NAME).delete();
        }
    }

    private static List<HTTPBackendRef> backends(HTTPRoute route) {
        List<HTTPBackendRef> refs = new ArrayList<>();
        route.getSpec().getRules().forEach(rule -> refs.addAll(rule.getBackendRefs()));
        return refs;
    }
}
