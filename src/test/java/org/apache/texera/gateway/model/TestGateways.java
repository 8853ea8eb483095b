package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.render.Renderer;

/** TexeraGateways for tests, written as the YAML a user would apply. */
public final class TestGateways {
    public static final String NAME = "texera";
    public static final String NAMESPACE = "texera";
    public static final String UID = "6f1c1d3e-0000-4000-8000-000000000001";

    private TestGateways() {
    }

    /** A TexeraGateway texera/texera with the given spec, written as indented YAML under {@code spec:}. */
    public static TexeraGateway gateway(String specYaml) {
        return Renderer.parseGateway("""
                apiVersion: texera.apache.org/v1alpha1
                kind: TexeraGateway
                metadata:
                  name: %s
                  namespace: %s
                  uid: %s
                spec:
                %s
                """.formatted(NAME, NAMESPACE, UID, specYaml.indent(2)), "default");
    }

    /** The effective spec of {@link #gateway(String)}, which must be valid. */
    public static EffectiveSpec resolve(String specYaml) {
        return resolve(gateway(specYaml));
    }

    public static EffectiveSpec resolve(TexeraGateway gateway) {
        SpecResolution resolution = SpecResolver.resolve(gateway);
        assertThat(resolution).isInstanceOf(SpecResolution.Valid.class);
        return ((SpecResolution.Valid) resolution).spec();
    }
}
