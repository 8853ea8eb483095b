package org.apache.texera.gateway.api.v1alpha1;

/** Regular expressions shared by the CRD schema (through annotations) and the model's own checks. */
public final class Patterns {
    /** RFC 1123 DNS subdomain, as Gateway API listener hostnames require (no wildcard). */
    public static final String HOSTNAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** RFC 1123 label: namespaces and our route names. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** RFC 1035 label: Service names. */
    public static final String SERVICE_NAME = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** Gateway API and Envoy Gateway duration (GEP-2257), e.g. 0s, 300s, 1h. */
    public static final String DURATION = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";
    /** Gateway API HTTP path value, restricted to absolute paths. */
    public static final String PATH = "^/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})*$";
    /** The CEL twin of Gateway API's own path rules, which a pattern cannot express. */
    public static final String PATH_CEL = "self.all(p, !p.contains('//') && !p.contains('/./') && !p.contains('/../')"
            + " && !p.endsWith('/..') && !p.endsWith('/.') && !p.contains('%2f') && !p.contains('%2F'))";
    /** RFC 7230 header field name. */
    public static final String HEADER_NAME = "^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$";
    /** Kubernetes label key, with an optional DNS prefix. No backslash, so it can sit inside a CEL string literal. */
    public static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
    /** Kubernetes label value (may be empty). */
    public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
    /** Gateway API query parameter name. */
    public static final String QUERY_PARAM = "^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$";

    private Patterns() {
    }
}
