package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A reader's diff of two multi-document YAML streams: which objects are missing, unexpected or changed, and for a
 * changed one only the lines around each change. A plain string comparison of 1000 lines hides the one that matters.
 */
public final class GoldenDiff {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int CONTEXT = 3;

    private GoldenDiff() {
    }

    public static String describe(String expected, String actual) {
        Map<String, String> want = documents(expected);
        Map<String, String> have = documents(actual);
        StringBuilder out = new StringBuilder();
        want.forEach((key, text) -> {
            if (!have.containsKey(key)) {
                out.append("missing object: ").append(key).append('\n');
            }
        });
        have.forEach((key, text) -> {
            if (!want.containsKey(key)) {
                out.append("unexpected object: ").append(key).append('\n').append(indent(text));
            }
        });
        want.forEach((key, text) -> {
            String other = have.get(key);
            if (other != null && !other.equals(text)) {
                out.append("changed object: ").append(key).append(" (- expected, + actual)\n");
                lineDiff(text.lines().toList(), other.lines().toList()).forEach(line -> out.append("    ").append(line).append('\n'));
            }
        });
        if (out.isEmpty()) {
            if (!List.copyOf(want.keySet()).equals(List.copyOf(have.keySet()))) {
                out.append("same objects in another order\n  expected: ").append(want.keySet()).append("\n  actual:   ")
                        .append(have.keySet()).append('\n');
            } else {
                out.append("the texts differ outside the objects (separators or trailing text)\n");
                lineDiff(expected.lines().toList(), actual.lines().toList()).forEach(line -> out.append("    ").append(line).append('\n'));
            }
        }
        return out.toString();
    }

    /** Each document of the stream by "Kind namespace/name", in order; a repeated key gets a #n suffix. */
    static Map<String, String> documents(String stream) {
        Map<String, String> documents = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : stream.lines().toList()) {
            if (line.equals("---")) {
                if (current != null) {
                    put(documents, current.toString());
                }
                current = new StringBuilder();
            } else {
                if (current == null) {
                    current = new StringBuilder();
                }
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            put(documents, current.toString());
        }
        return documents;
    }

    private static void put(Map<String, String> documents, String text) {
        String key = key(text, documents.size());
        String unique = key;
        for (int n = 2; documents.containsKey(unique); n++) {
            unique = key + " #" + n;
        }
        documents.put(unique, text);
    }

    private static String key(String text, int index) {
        try {
            JsonNode node = YAML.readTree(text);
            if (node != null && node.has("kind")) {
                JsonNode meta = node.path("metadata");
                String namespace = meta.path("namespace").asText("");
                return node.get("kind").asText() + " " + (namespace.isEmpty() ? "" : namespace + "/")
                        + meta.path("name").asText("?");
            }
        } catch (Exception e) {
            // Not YAML we can read: name it by position, the diff still shows the lines.
        }
        return "document " + (index + 1);
    }

    /** A unified-style diff of two line lists, keeping {@value #CONTEXT} lines of context around each change. */
    static List<String> lineDiff(List<String> a, List<String> b) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add("  " + a.get(i++));
                j++;
            } else if (j >= b.size() || i < a.size() && common[i + 1][j] >= common[i][j + 1]) {
                ops.add("- " + a.get(i++));
            } else {
                ops.add("+ " + b.get(j++));
            }
        }
        boolean[] keep = new boolean[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            if (!ops.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(ops.size() - 1, k + CONTEXT); c++) {
                    keep[c] = true;
                }
            }
        }
        List<String> shown = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
            if (keep[k]) {
                if (k > 0 && !keep[k - 1] && !shown.isEmpty()) {
                    shown.add("  ...");
                }
                shown.add(ops.get(k));
            }
        }
        return shown;
    }

    private static String indent(String text) {
        return text.indent(4);
    }
}
