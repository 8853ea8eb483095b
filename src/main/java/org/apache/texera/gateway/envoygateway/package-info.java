/**
 * Envoy Gateway's own kinds (gateway.envoyproxy.io/v1alpha1), which fabric8 has no model for. Each class holds only
 * the fields this operator sets or reads; the schema-conformance tests prove them against Envoy Gateway's CRDs.
 * Every type ignores fields it does not know: the API server fills in CRD defaults (BackendTrafficPolicy's
 * consistentHash.tableSize) and newer Envoy Gateway releases add fields, and a read must never fail on them.
 */
package org.apache.texera.gateway.envoygateway;
