package org.apache.texera.gateway.model;

import static org.apache.texera.gateway.model.TestGateways.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenersTest {

    @Test
    void withoutTlsEverythingIsPlainHttpAndNothingIsRedirected() {
        EffectiveSpec spec = resolve("objectStorage: {hostname: s3.example.com}");

        assertThat(Listeners.texera(spec)).containsExactly("http");
        assertThat(Listeners.objectStorage(spec)).containsExactly("s3-http");
        assertThat(Listeners.redirected(spec)).isEmpty();
    }

    @Test
    void withRedirectedTlsRoutesAttachToHttpsOnlyAndHttpIsRedirected() {
        EffectiveSpec spec = resolve("tls: {secretName: cert}");

        assertThat(Listeners.texera(spec)).containsExactly("https");
        assertThat(Listeners.redirected(spec)).containsExactly("http");
    }

    @Test
    void withTlsButNoRedirectRoutesAttachToBothListeners() {
        EffectiveSpec spec = resolve("""
                tls: {secretName: cert, redirectHttp: false}
                objectStorage: {hostname: s3.example.com, tlsSecretName: s3-cert}
                """);

        assertThat(Listeners.texera(spec)).containsExactly("http", "https");
        assertThat(Listeners.objectStorage(spec)).containsExactly("s3-http", "s3-https");
        assertThat(Listeners.redirected(spec)).isEmpty();
    }

    @Test
    void objectStorageWithItsOwnCertificateFollowsTheMainRedirect() {
        EffectiveSpec spec = resolve("""
                tls: {secretName: cert}
                objectStorage: {hostname: s3.example.com, tlsSecretName: s3-cert}
                """);

        assertThat(Listeners.objectStorageHasTls(spec)).isTrue();
        assertThat(Listeners.objectStorage(spec)).containsExactly("s3-https");
        assertThat(Listeners.redirected(spec)).containsExactly("http", "s3-http");
    }

    @Test
    void objectStorageWithoutItsOwnCertificateStaysOnPlainHttpAndIsNotRedirected() {
        EffectiveSpec spec = resolve("""
                tls: {secretName: cert}
                objectStorage: {hostname: s3.example.com}
                """);

        assertThat(Listeners.objectStorageHasTls(spec)).isFalse();
        assertThat(Listeners.objectStorage(spec)).containsExactly("s3-http");
        assertThat(Listeners.redirected(spec)).containsExactly("http");
    }

    @Test
    void anObjectStorageCertificateWithoutMainTlsIsNotUsed() {
        // The CRD refuses this; the model must still not emit an HTTPS listener nobody redirects to.
        EffectiveSpec spec = resolve("objectStorage: {hostname: s3.example.com, tlsSecretName: s3-cert}");

        assertThat(Listeners.objectStorageHasTls(spec)).isFalse();
        assertThat(Listeners.objectStorage(spec)).containsExactly("s3-http");
    }

    @Test
    void noObjectStorageHasNoObjectStorageTls() {
        assertThat(Listeners.objectStorageHasTls(resolve("tls: {secretName: cert}"))).isFalse();
    }
}
