package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the real control plane's binaries are, installing them from the kit when it is beside the project.
 * <ul>
 * <li>binaries: {@code $KUBE_API_TEST_DIR} (kube-api-test's own setting), else {@code ~/.kubeapitest}; kube-api-test's
 * offline layout {@code k8s/1.28.7-linux-amd64/};</li>
 * <li>the kit: {@code $TEXERA_KUBE_KIT}, else {@code ../shared/kube}; its {@code install.sh} unpacks into the
 * binaries folder when they are not there yet;</li>
 * <li>upstream CRDs: {@code $TEXERA_CRDS_DIR} (as for the conformance suite), else {@code ../shared/crds}.</li>
 * </ul>
 */
final class KitBinaries {
    private static Optional<Path> installed;
    private static String why = "";

    private KitBinaries() {
    }

    static Path project() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    static Optional<Path> kit() {
        String setting = System.getenv("TEXERA_KUBE_KIT");
        Path kit = setting != null && !setting.isBlank() ? project().resolve(setting) : project().resolve("../shared/kube");
        return Files.isRegularFile(kit.resolve("install.sh")) ? Optional.of(kit.normalize()) : Optional.empty();
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

    /** The kube-api-test folder with the binaries in place (installed now if need be), or empty with a reason. */
    static synchronized Optional<Path> installedDir() {
        if (installed != null) {
            return installed;
        }
        Path dir = binariesDir();
        Path bin = dir.resolve("k8s").resolve(ApiServerKit.KUBE_VERSION + "-linux-amd64");
        if (!hasBinaries(bin) && kit().isPresent()) {
            install(kit().get(), dir);
        }
        if (!hasBinaries(bin)) {
            why = "no kube-apiserver/etcd " + ApiServerKit.KUBE_VERSION + " in " + bin + " and no kit at ../shared/kube"
                    + " (or $TEXERA_KUBE_KIT) to install them from" + (why.isEmpty() ? "" : ": " + why);
            installed = Optional.empty();
        } else if (!Files.isDirectory(upstreamCrds())) {
            why = "no upstream CRDs at " + upstreamCrds() + " (set TEXERA_CRDS_DIR)";
            installed = Optional.empty();
        } else {
            installed = Optional.of(dir);
        }
        return installed;
    }

    static String whyMissing() {
        return why;
    }

    private static boolean hasBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("kube-apiserver")) && Files.isExecutable(bin.resolve("etcd"))
                && Files.isExecutable(bin.resolve("kubectl"));
    }

    private static void install(Path kit, Path dir) {
        try {
            Process process = new ProcessBuilder("bash", kit.resolve("install.sh").toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                why = "install.sh failed: " + out.strip();
            }
        } catch (IOException e) {
            why = "install.sh could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted while installing";
        }
    }
}
