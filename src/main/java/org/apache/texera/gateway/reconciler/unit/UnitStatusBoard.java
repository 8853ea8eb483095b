package org.apache.texera.gateway.reconciler.unit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.model.GatewayRef;

/** The unit reconciler's in-process tally of units per gateway, which the gateway's status shows. */
@ApplicationScoped
public class UnitStatusBoard {

    /** Null while the counts are not known yet (the unit reconciler has not seen every pod since start). */
    public UnitCounts counts(GatewayRef gateway) {
        return null;
    }
}
