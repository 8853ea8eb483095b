package org.apache.texera.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.texera.gateway.model.UnitRouting;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's Status, Events, Logs and Metrics tables say what the code does: the condition types and reasons are
 * {@link Conditions}' constants, the Event reasons are what the code records, every log line at INFO or above is in
 * the Logs table (and every row is a line the code can write), and the metrics are the names the code registers.
 * Read from the sources and the README, so a new log line, reason or metric without its row fails here.
 */
class ReadmeTablesTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern LOG_CALL = Pattern.compile("LOG\\.(info|warn|error|logf)f?\\(");
    private static final Pattern METRIC = Pattern.compile("\"(texera_gateway_[a-z_]+)\"");
    private static final Pattern EVENT_CALL = Pattern.compile("events\\.(warning|normal)\\(\\s*\\w+\\s*,\\s*([^,]+),");

    private static String readme;
    private static Map<Path, String> sources;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(Path.of("README.md"));
        sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sources.put(file, Files.readString(file));
            }
        }
    }

    /** The text of a README section: from its heading to the next heading of the same or a higher level. */
    private static String section(String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        int level = heading.indexOf(' ');
        Matcher next = Pattern.compile("\n#{1," + level + "} ").matcher(readme);
        int end = next.find(start + heading.length() + 1) ? next.start() : readme.length();
        return readme.substring(start, end);
    }

    /** A section's own text: up to its first subsection. */
    private static String ownText(String heading) {
        String section = section(heading);
        int sub = section.indexOf("\n#", 1);
        return sub < 0 ? section : section.substring(0, sub);
    }

    /** The cells of column {@code column} of every table row in the text (the header and the rule excluded). */
    private static List<String> column(String text, int column) {
        List<String> cells = new ArrayList<>();
        List<String> rows = text.lines().filter(line -> line.startsWith("|")).toList();
        for (String row : rows.subList(Math.min(2, rows.size()), rows.size())) {
            String[] split = row.split("(?<!\\\\)\\|");
            cells.add(split[column + 1].trim());
        }
        return cells;
    }

    private static Set<String> backticked(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = BACKTICKED.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static Map<String, String> constants(String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : Conditions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && field.getName().startsWith(prefix)) {
                try {
                    values.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    @Test
    void statusTableHasEveryConditionAndEveryReason() {
        String status = ownText("## Status");
        Set<String> types = new TreeSet<>();
        constants("").forEach((name, value) -> {
            if (!name.startsWith("REASON_") && !name.startsWith("UNITS_REASON_") && !name.startsWith("EVENT_")) {
                types.add(value);
            }
        });
        Set<String> tableTypes = new TreeSet<>();
        column(status, 0).forEach(cell -> tableTypes.addAll(backticked(cell)));
        assertThat(tableTypes).as("the conditions in README's Status table").isEqualTo(types);

        Set<String> reasons = new TreeSet<>(constants("REASON_").values());
        reasons.addAll(constants("UNITS_REASON_").values());
        assertThat(backticked(status)).as("reasons named in README's Status section").containsAll(reasons);
    }

    @Test
    void eventsTableHasEveryReasonTheCodeRecords() {
        Set<String> recorded = new TreeSet<>(constants("REASON_").values());
        // Only Ready's and UnitsRouted's own reasons become Events, not those of the three topology conditions.
        recorded.removeAll(List.of(Conditions.REASON_PROGRAMMED, Conditions.REASON_NOT_PROGRAMMED,
                Conditions.REASON_ACCEPTED, Conditions.REASON_NOT_ACCEPTED));
        recorded.addAll(constants("UNITS_REASON_").values());
        recorded.remove(Conditions.UNITS_REASON_COUNTING); // Unknown: no Event
        recorded.addAll(constants("EVENT_").values());
        Arrays.stream(UnitRouting.RejectReason.values()).map(Enum::name).forEach(recorded::add);

        Set<String> table = new TreeSet<>();
        column(section("### Events"), 0).forEach(cell -> table.addAll(backticked(cell)));
        assertThat(table).as("the reasons in README's Events table").isEqualTo(recorded);

        // Every place that records an Event takes its reason from one of those sources; a new one needs a row.
        Set<String> reasonExpressions = new TreeSet<>();
        sources.values().forEach(source -> {
            Matcher call = EVENT_CALL.matcher(source);
            while (call.find()) {
                reasonExpressions.add(call.group(2).trim());
            }
        });
        assertThat(reasonExpressions).as("the reason arguments of events.warning/normal in src/main/java")
                .isSubsetOf("after.getReason()", "reject.reason().name()", "Conditions.EVENT_DELETED");
    }

    @Test
    void metricsTableIsWhatTheCodeRegisters() {
        Set<String> registered = new TreeSet<>();
        sources.values().forEach(source -> {
            Matcher metric = METRIC.matcher(source);
            while (metric.find()) {
                registered.add(metric.group(1));
            }
        });
        Set<String> table = new TreeSet<>();
        column(section("## Metrics"), 0).forEach(cell -> table.addAll(backticked(cell)));
        assertThat(table).as("the metrics in README's Metrics table").isEqualTo(registered);
    }

    @Test
    void logsTableHasEveryLineAtInfoOrAboveAndNothingElse() {
        String logs = section("### Logs");
        List<String> levels = column(logs, 0);
        List<String> lines = column(logs, 1).stream().map(cell -> backticked(cell).iterator().next()).toList();
        Map<String, String> levelOfLine = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            levelOfLine.put(lines.get(i), levels.get(i));
        }

        Set<String> written = new HashSet<>();
        sources.forEach((file, source) -> {
            Matcher call = LOG_CALL.matcher(source);
            while (call.find()) {
                String line = template(firstArgument(source, call.end(), call.group(1).equals("logf")));
                if (line.equals("…")) {
                    continue; // a message built elsewhere: its literal is checked with the rows below
                }
                written.add(line);
                assertThat(levelOfLine).as("README's Logs table has the line %s of %s", line, file).containsKey(line);
                String level = call.group(1).equals("logf") ? "INFO" : call.group(1).toUpperCase(java.util.Locale.ROOT);
                assertThat(levelOfLine.get(line)).as("the level of %s", line).contains(level);
            }
        });
        String all = String.join("\n", sources.values());
        for (String row : lines) {
            if (!written.contains(row)) {
                // A message built before the log call (ProcessLifecycle's): its text up to the first value is a literal.
                String literal = row.substring(0, row.indexOf('…') < 0 ? row.length() : row.indexOf('…'));
                assertThat(all).as("the README's log line %s is one the code writes", row).contains(literal.strip());
            }
        }
    }

    /**
     * The log call's message argument with every value as {@code …}: string literals joined by {@code +} with
     * anything else, their {@code %s} and {@code %d} placeholders replaced. For {@code logf} the message is the second
     * argument (the first is the level), and for {@code warnf(e, ...)} the one after the throwable.
     */
    static String template(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(part.startsWith("\"") ? part.substring(1, part.length() - 1).replaceAll("%[sd]", "…") : "…");
        }
        return out.toString().replaceAll("…+", "…");
    }

    /** The parts (literals and expressions, in order) of the message argument of the call whose '(' ends at start. */
    static List<String> firstArgument(String source, int start, boolean afterLevel) {
        List<List<String>> arguments = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        StringBuilder expression = new StringBuilder();
        int depth = 0;
        for (int i = start; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (source.charAt(end) != '"') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                flush(expression, parts);
                parts.add(source.substring(i, end + 1));
                i = end;
            } else if (c == '(') {
                depth++;
                expression.append(c);
            } else if (c == ')' && depth > 0) {
                depth--;
                expression.append(c);
            } else if (c == ')' || c == ',' && depth == 0) {
                flush(expression, parts);
                arguments.add(parts);
                parts = new ArrayList<>();
                if (c == ')') {
                    break;
                }
            } else if (c == '+' && depth == 0) {
                flush(expression, parts);
            } else {
                expression.append(c);
            }
        }
        // The message is the first argument that starts with a literal, after the level of logf if any.
        List<List<String>> candidates = afterLevel ? arguments.subList(1, arguments.size()) : arguments;
        return candidates.stream().filter(argument -> !argument.isEmpty() && argument.get(0).startsWith("\"")).findFirst()
                .orElse(candidates.get(0));
    }

    private static void flush(StringBuilder expression, List<String> parts) {
        if (!expression.toString().isBlank()) {
            parts.add(expression.toString().trim());
        }
        expression.setLength(0);
    }

    @Test
    void templateReadsConcatenationsAndPlaceholders() {
        String source = "LOG.infof(\"released the %s: \" + NAME + \" done (%d)\", policy, 3);";
        Matcher call = LOG_CALL.matcher(source);
        assertThat(call.find()).isTrue();
        assertThat(template(firstArgument(source, call.end(), false))).isEqualTo("released the …: … done (…)");
        String warn = "LOG.warnf(e, \"could not %s\", what);";
        Matcher warnCall = LOG_CALL.matcher(warn);
        assertThat(warnCall.find()).isTrue();
        assertThat(template(firstArgument(warn, warnCall.end(), false))).isEqualTo("could not …");
        String built = "LOG.error(problem);";
        Matcher builtCall = LOG_CALL.matcher(built);
        assertThat(builtCall.find()).isTrue();
        assertThat(template(firstArgument(built, builtCall.end(), false))).isEqualTo("…");
    }
}
