package org.apache.texera.gateway.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place object names come from, so code and tests agree. Objects in the TexeraGateway's own namespace are
 * named after it. Objects in a shared namespace (the unit pool, a backend's namespace) also carry the
 * TexeraGateway's namespace, so two TexeraGateways of the same name in different namespaces never collide.
 */
public final class Names {
    /** The longest unit id we route: 18 digits fit a long and keep unit names within 63 characters. */
    public static final int MAX_UNIT_ID_DIGITS = 18;
    private static final int DNS_LABEL_MAX = 63;
    private static final String UNIT_INFIX = "-cu-";
    /** Room left for the shared-namespace prefix in a unit Service name (an RFC 1035 label). */
    static final int SHARED_PREFIX_MAX = DNS_LABEL_MAX - UNIT_INFIX.length() - MAX_UNIT_ID_DIGITS;

    private Names() {
    }

    public static String gateway(GatewayRef gw) {
        return gw.name();
    }

    public static String envoyProxy(GatewayRef gw) {
        return gw.name();
    }

    public static String clientTrafficPolicy(GatewayRef gw) {
        return gw.name();
    }

    public static String staticRoute(GatewayRef gw, String routeName) {
        return gw.name() + "-" + routeName;
    }

    /** The BackendTrafficPolicy of one static route has the route's name. */
    public static String staticRoutePolicy(GatewayRef gw, String routeName) {
        return staticRoute(gw, routeName);
    }

    public static String httpsRedirectRoute(GatewayRef gw) {
        return gw.name() + "-https-redirect";
    }

    public static String objectStorageRoute(GatewayRef gw) {
        return gw.name() + "-object-storage";
    }

    public static String objectStorageCorsPolicy(GatewayRef gw) {
        return gw.name() + "-object-storage-cors";
    }

    /** The shared SecurityPolicy and BackendTrafficPolicy of all unit routes, in the pool namespace. */
    public static String unitPolicies(GatewayRef gw) {
        return sharedPrefix(gw) + "-units";
    }

    /** The ReferenceGrant that lets the unit SecurityPolicy reach the ext-auth Service. */
    public static String authReferenceGrant(GatewayRef gw) {
        return sharedPrefix(gw) + "-unit-auth";
    }

    /** The ReferenceGrant that lets static routes reach Services in another namespace. */
    public static String backendReferenceGrant(GatewayRef gw) {
        return sharedPrefix(gw) + "-backends";
    }

    /** A unit's Service and HTTPRoute: e.g. texera-texera-cu-42. */
    public static String unit(GatewayRef gw, long unitId) {
        return sharedPrefix(gw) + UNIT_INFIX + unitId;
    }

    /**
     * name-namespace-hash: readable, and unique because the hash covers the exact (namespace, name) pair, which the
     * dashes alone do not (gateway a-b in c and gateway a in b-c). Shortened to leave room for an 18-digit unit id.
     */
    static String sharedPrefix(GatewayRef gw) {
        String hash = shortHash(gw.namespace() + "/" + gw.name());
        String head = gw.name() + "-" + gw.namespace();
        int room = SHARED_PREFIX_MAX - hash.length() - 1;
        if (head.length() > room) {
            head = head.substring(0, room).replaceAll("-+$", "");
        }
        return head + "-" + hash;
    }

    private static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
