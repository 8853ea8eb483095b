package org.apache.texera.gateway.conformance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An OpenAPI {@code pattern} as the API server applies it: Go's RE2 {@code regexp.MatchString}, which searches
 * (it is not anchored unless the pattern is) and whose {@code $} matches only at the very end. The Java twin
 * converts the few spellings that differ: {@code (?P<name>}, POSIX classes, and {@code $} (to {@code \z}, since
 * Java's {@code $} also matches before a final line break).
 */
final class GoRegex {
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"), Map.entry("word", "\\w"),
            Map.entry("xdigit", "\\p{XDigit}"));

    private GoRegex() {
    }

    static boolean find(String goPattern, String value) {
        return CACHE.computeIfAbsent(goPattern, p -> Pattern.compile(toJava(p))).matcher(value).find();
    }

    static String toJava(String go) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < go.length(); i++) {
            char c = go.charAt(i);
            if (c == '\\' && i + 1 < go.length()) {
                out.append(c).append(go.charAt(++i));
            } else if (inClass && go.startsWith("[:", i)) {
                int end = go.indexOf(":]", i);
                String name = end < 0 ? null : go.substring(i + 2, end);
                if (name != null && POSIX.containsKey(name)) {
                    out.append(POSIX.get(name));
                    i = end + 1;
                } else {
                    out.append("\\[");
                }
            } else if (c == '[' && !inClass) {
                inClass = true;
                out.append(c);
                // A ']' right after '[' or '[^' is a literal in both dialects.
                if (go.startsWith("^]", i + 1)) {
                    out.append("^\\]");
                    i += 2;
                } else if (go.startsWith("]", i + 1)) {
                    out.append("\\]");
                    i++;
                }
            } else if (c == '[') {
                out.append("\\["); // a literal '[' inside a class is a nested class in Java
            } else if (c == ']' && inClass) {
                inClass = false;
                out.append(c);
            } else if (!inClass && go.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
            } else if (c == '$' && !inClass) {
                out.append("\\z");
            } else if (inClass && c == '&' && i + 1 < go.length() && go.charAt(i + 1) == '&') {
                out.append("&\\&"); // '&&' is intersection in Java
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
