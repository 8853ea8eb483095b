package org.apache.texera.gateway.apiserver;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real-tier class when the control plane's binaries are there ({@code .ci/kube-control-plane} builds them). Elsewhere
 * the class is skipped with the reason, except in CI ({@code CI=true}), where a missing binary is a failure.
 */
public class RequiresApiServer implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (KitBinaries.installedDir().isPresent()) {
            return ConditionEvaluationResult.enabled("real API server available");
        }
        String why = "real-API-server tier not run: " + KitBinaries.whyMissing();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why + " (CI must run it: .ci/run builds it first)");
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
