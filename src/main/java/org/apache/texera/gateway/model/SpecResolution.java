package org.apache.texera.gateway.model;

import java.util.List;

/** The outcome of resolving a spec: the effective spec, or every problem a person must fix, in order. */
public sealed interface SpecResolution {

    record Valid(EffectiveSpec spec) implements SpecResolution {
    }

    record Invalid(List<String> problems) implements SpecResolution {
        public String message() {
            return String.join("; ", problems);
        }
    }
}
