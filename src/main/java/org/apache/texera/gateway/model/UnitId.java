package org.apache.texera.gateway.model;

import java.util.Map;

/** Reads a computing unit's id from its pod label, or says why it cannot be routed. */
public final class UnitId {

    /** Why a pod's id label cannot name a route. Each is a metric tag and an Event reason. */
    public enum Rejection {
        MissingId("has no %s label"),
        EmptyId("has an empty %s label"),
        NotANumber("has a %s label that is not a whole number"),
        NotPositive("has a %s label that is not positive"),
        TooLong("has a %s label longer than " + Names.MAX_UNIT_ID_DIGITS + " digits, too long for a Service name");

        private final String template;

        Rejection(String template) {
            this.template = template;
        }

        /** What is wrong, with the label's name and, where there is one, its value as the pod has it. */
        public String describe(String label, String value) {
            return template.formatted(label) + (value == null || value.isEmpty() ? "" : ": \"" + value + "\"");
        }
    }

    /** Either an id or a rejection. */
    public record Parsed(long id, Rejection rejection) {
        public boolean valid() {
            return rejection == null;
        }
    }

    private UnitId() {
    }

    public static Parsed parse(Map<String, String> labels, String idLabel) {
        String value = labels == null ? null : labels.get(idLabel);
        if (value == null) {
            return new Parsed(0, Rejection.MissingId);
        }
        if (value.isEmpty()) {
            return new Parsed(0, Rejection.EmptyId);
        }
        String digits = value.startsWith("-") || value.startsWith("+") ? value.substring(1) : value;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new Parsed(0, Rejection.NotANumber);
        }
        String significant = digits.replaceFirst("^0+", "");
        if (value.startsWith("-") || significant.isEmpty()) {
            return new Parsed(0, Rejection.NotPositive);
        }
        if (significant.length() > Names.MAX_UNIT_ID_DIGITS || !significant.equals(digits)) {
            // Leading zeros would give one unit two spellings; more digits would overflow the Service name.
            return new Parsed(0, significant.length() > Names.MAX_UNIT_ID_DIGITS ? Rejection.TooLong : Rejection.NotANumber);
        }
        return new Parsed(Long.parseLong(significant), null);
    }
}
