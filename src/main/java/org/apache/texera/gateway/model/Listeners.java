package org.apache.texera.gateway.model;

import java.util.List;

/** The Gateway's listener names, and which of them a route attaches to. */
public final class Listeners {
    public static final String HTTP = "http";
    public static final String HTTPS = "https";
    public static final String OBJECT_STORAGE_HTTP = "s3-http";
    public static final String OBJECT_STORAGE_HTTPS = "s3-https";

    private Listeners() {
    }

    /** Texera's routes (static and unit): https only when plain HTTP is redirected, else every main listener. */
    public static List<String> texera(EffectiveSpec spec) {
        if (spec.tls() == null) {
            return List.of(HTTP);
        }
        return spec.tls().redirectHttp() ? List.of(HTTPS) : List.of(HTTP, HTTPS);
    }

    /** The object storage route, by the same rule on its own listeners. */
    public static List<String> objectStorage(EffectiveSpec spec) {
        if (!objectStorageHasTls(spec)) {
            return List.of(OBJECT_STORAGE_HTTP);
        }
        return spec.tls().redirectHttp() ? List.of(OBJECT_STORAGE_HTTPS) : List.of(OBJECT_STORAGE_HTTP, OBJECT_STORAGE_HTTPS);
    }

    /** The plain-HTTP listeners whose requests get redirected to HTTPS. */
    public static List<String> redirected(EffectiveSpec spec) {
        if (spec.tls() == null || !spec.tls().redirectHttp()) {
            return List.of();
        }
        return objectStorageHasTls(spec) ? List.of(HTTP, OBJECT_STORAGE_HTTP) : List.of(HTTP);
    }

    static boolean objectStorageHasTls(EffectiveSpec spec) {
        return spec.objectStorage() != null && spec.objectStorage().tlsSecretName() != null && spec.tls() != null;
    }
}
