/**
 * Envoy Gateway's own kinds (gateway.envoyproxy.io/v1alpha1), which fabric8 has no model for. Each class holds only
 * the fields this operator sets or reads; the schema-conformance tests prove them against Envoy Gateway's CRDs.
 */
package org.apache.texera.gateway.envoygateway;
