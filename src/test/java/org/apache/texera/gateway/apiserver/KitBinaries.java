package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the real control plane's binaries are. {@code .ci/kube-control-plane} builds them from the Go module proxy.
 * <ul>
 * <li>binaries: {@code $KUBE_API_TEST_DIR} (kube-api-test's own setting), else {@code ~/.kubeapitest}; kube-api-test's
 * offline layout {@code k8s/<version>-linux-amd64/} with kube-apiserver, kube-controller-manager, kubectl and etcd;</li>
 * <li>upstream CRDs: {@code $TEXERA_CRDS_DIR} (as for the conformance suite), else {@code ../shared/crds}.</li>
 * </ul>
 */
final class KitBinaries {
    private static Optional<Path> found;
    private static String why = "";

    private KitBinaries() {
    }

    static Path project() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    /** The script that builds the control plane; its {@code KUBE_VERSION} default is the release the tier runs. */
    static Path buildScript() {
        return project().resolve(".ci/kube-control-plane");
    }

    /** {@code $KUBE_VERSION} if set (the script honours it too), else the script's default. */
    static String kubeVersion() {
        String setting = System.getenv("KUBE_VERSION");
        if (setting != null && !setting.isBlank()) {
            return setting;
        }
        try {
            Matcher m = Pattern.compile("KUBE_VERSION=\"\\$\\{KUBE_VERSION:-([0-9.]+)}\"").matcher(Files.readString(buildScript()));
            if (!m.find()) {
                throw new IllegalStateException("no KUBE_VERSION default in " + buildScript());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path upstreamCrds() {
        String setting = System.getenv("TEXERA_CRDS_DIR");
        Path crds = setting != null && !setting.isBlank() ? project().resolve(setting) : project().resolve("../shared/crds");
        return crds.normalize();
    }

    private static Path binariesDir() {
        String setting = System.getenv("KUBE_API_TEST_DIR");
        return setting != null && !setting.isBlank() ? Path.of(setting) : Path.of(System.getProperty("user.home"), ".kubeapitest");
    }

    /** The kube-api-test folder with every binary in place, or empty with a one-line reason ({@link #whyMissing}). */
    static synchronized Optional<Path> installedDir() {
        if (found != null) {
            return found;
        }
        Path dir = binariesDir();
        Path bin = dir.resolve("k8s").resolve(ApiServerKit.KUBE_VERSION + "-linux-amd64");
        if (!hasBinaries(bin)) {
            why = "no Kubernetes " + ApiServerKit.KUBE_VERSION + " control plane in " + bin
                    + "; build it from the Go module proxy with: .ci/kube-control-plane " + dir;
            found = Optional.empty();
        } else if (!Files.isDirectory(upstreamCrds())) {
            why = "no upstream CRDs at " + upstreamCrds() + " (set TEXERA_CRDS_DIR)";
            found = Optional.empty();
        } else {
            found = Optional.of(dir);
        }
        return found;
    }

    static String whyMissing() {
        return why;
    }

    private static boolean hasBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("kube-apiserver")) && Files.isExecutable(bin.resolve("etcd"))
                && Files.isExecutable(bin.resolve("kubectl")) && Files.isExecutable(bin.resolve("kube-controller-manager"));
    }
}
