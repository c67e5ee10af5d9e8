package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/kpis.md} holds one entry per KPI, generated from {@link KpiCatalogue}: its definition, unit,
 * dimensions, grains, the measures it reads, where it is computed and the tests that assert it (found in the test
 * sources by its id, so a KPI without a test shows, and fails here). {@code -Dkpi.updateDocs=true} writes it.
 */
class KpiDocsTest {
    static final Path DOC = Path.of("../docs/kpis.md");
    static final String BEGIN = "<!-- generated from KpiCatalogue by KpiDocsTest: edit the catalogue, not these entries -->\n";
    static final String END = "<!-- end of the generated entries -->\n";
    static final Path MAIN = Path.of("src/main/java/io/kpipeline/streams/kpi");
    static final Path CONTRIB = Path.of("src/main/java/io/kpipeline/streams/contrib");
    static final Pattern DECLARATION = Pattern.compile("\\bkpi\\(\"([a-z_]+)\"\\)");
    static final Pattern TEST_METHOD = Pattern.compile("@(?:Test|Property)\\b[^\\n]*\\n(?:\\s*@[^\\n]*\\n)*\\s*(?:public\\s+)?void (\\w+)\\(");
    static final List<Path> TESTS = List.of(Path.of("src/test/java"), Path.of("../kpi-app/src/test/java"));

    /** Every test source of kpi-streams and kpi-app, in order. */
    static List<Path> testSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : TESTS) {
            try (Stream<Path> s = Files.walk(root)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".java")).sorted().toList());
            }
        }
        return files;
    }

    /** Test classes naming each KPI id as a string, relative to the docs directory. */
    static Map<String, List<String>> testsByKpi() throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (Path f : testSources()) {
            String text = Files.readString(f);
            for (KpiDefinition k : KpiCatalogue.all()) {
                if (text.contains("\"" + k.id() + "\"") || text.contains("\"" + k.id() + "|")) {
                    out.computeIfAbsent(k.id(), x -> new ArrayList<>()).add(relative(f));
                }
            }
        }
        return out;
    }

    /**
     * Test methods named after a KPI: the name starts with its id in camel case ({@code salesCycleLength...} for
     * {@code sales_cycle_length}), the longest id winning ({@code revenuePerCustomer...} is not {@code revenue}'s).
     * As {@code file#method}, the file relative to the docs directory.
     */
    static Map<String, List<String>> namedTests() throws IOException {
        List<Map.Entry<String, String>> ids = new ArrayList<>();
        for (KpiDefinition k : KpiCatalogue.all()) {
            ids.add(Map.entry(camel(k.id()), k.id()));
        }
        ids.sort((a, b) -> b.getKey().length() - a.getKey().length());
        Map<String, List<String>> out = new TreeMap<>();
        for (Path f : testSources()) {
            Matcher m = TEST_METHOD.matcher(Files.readString(f));
            while (m.find()) {
                String method = m.group(1);
                for (Map.Entry<String, String> id : ids) {
                    String c = id.getKey();
                    if (method.startsWith(c) && (method.length() == c.length() || Character.isUpperCase(method.charAt(c.length())))) {
                        out.computeIfAbsent(id.getValue(), x -> new ArrayList<>()).add(relative(f) + "#" + method);
                        break;
                    }
                }
            }
        }
        return out;
    }

    static String camel(String id) {
        StringBuilder out = new StringBuilder();
        for (String part : id.split("_")) {
            out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    /** A test source's path as docs/ links it. */
    static String relative(Path f) {
        return f.toString().replaceFirst("^src/", "../kpi-streams/src/");
    }

    /** Where each KPI is declared: a link to its {@code kpi("id")} line in the catalogue's section classes. */
    static Map<String, String> declarations() throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(MAIN)) {
            files = s.filter(p -> p.toString().endsWith("Kpis.java")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = DECLARATION.matcher(lines.get(i));
                if (m.find()) {
                    String name = f.getFileName().toString();
                    out.put(m.group(1), "[" + name.replace(".java", "") + " line " + (i + 1) + "](../kpi-streams/" + MAIN + "/"
                            + name + "#L" + (i + 1) + ")");
                }
            }
        }
        return out;
    }

    /** The sources of the contributions: where each measure is counted from an entity's state. */
    static Map<Path, String> contributors() throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(CONTRIB)) {
            for (Path f : s.filter(p -> p.toString().endsWith("Contributions.java")).sorted().toList()) {
                out.put(f, Files.readString(f));
            }
        }
        return out;
    }

    /** " (from [DealContributions](...))": the contribution classes that name {@code m}. */
    static String contributedBy(Measure m, Map<Path, String> contributors) {
        Pattern name = Pattern.compile("\\b" + m.name() + "\\b");
        String links = contributors.entrySet().stream().filter(e -> name.matcher(e.getValue()).find())
                .map(e -> "[" + e.getKey().getFileName().toString().replace(".java", "") + "](../kpi-streams/" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
        return links.isEmpty() ? "" : " (from " + links + ")";
    }

    static String entries() throws IOException {
        Map<String, List<String>> tests = testsByKpi();
        Map<String, List<String>> namedTests = namedTests();
        Map<String, String> declarations = declarations();
        Map<Path, String> contributors = contributors();
        StringBuilder out = new StringBuilder();
        for (KpiDefinition k : KpiCatalogue.all()) {
            out.append("### `").append(k.id()).append("`: ").append(k.name()).append("\n\n");
            out.append(k.description()).append(".\n\n");
            out.append("- unit: ").append(k.unit().id()).append(k.higherIsBetter() ? ", higher is better" : ", lower is better").append("\n");
            out.append("- dimensions: ").append(k.dimensions().stream().map(Dimension::id).collect(Collectors.joining(", "))).append("\n");
            out.append("- grains: ").append(k.grains().stream().map(Grain::id).collect(Collectors.joining(", ")))
                    .append(k.cumulative() ? " (a change moves every later period too)" : k.lookback() > 0 ? " (reads the period before)" : "")
                    .append("\n");
            out.append("- reads: ").append(k.measures().stream().map(m -> "`" + m.name() + "`" + contributedBy(m, contributors))
                    .collect(Collectors.joining(", "))).append("\n");
            out.append("- declared and computed: ").append(declarations.get(k.id())).append("\n");
            String d = k.dimensions().get(0).id(), g = k.grains().get(k.grains().size() > 2 ? 2 : 0).id();
            out.append("- query ([api](api.md)): `/api/kpis/").append(k.id()).append("?dimension=").append(d).append(d.equals("company") ? "" : "&key=…").append("&grain=").append(g)
                    .append("`, ranking `/api/kpis/").append(k.id()).append("/ranking?dimension=")
                    .append(k.dimensions().get(k.dimensions().size() - 1).id()).append("&grain=").append(g).append("`; served by ")
                    .append("[KpiQuery](../kpi-streams/src/main/java/io/kpipeline/streams/query/KpiQuery.java), republished on `kpi-updates` by ")
                    .append("[UpdatePublisher](../kpi-streams/src/main/java/io/kpipeline/streams/topology/UpdatePublisher.java)\n");
            List<String> named = namedTests.getOrDefault(k.id(), List.of());
            out.append("- tests named after it: ").append(named.stream().map(t -> {
                String file = t.substring(0, t.indexOf('#'));
                return "[" + Path.of(file).getFileName().toString().replace(".java", "") + "." + t.substring(t.indexOf('#') + 1) + "](" + file + ")";
            }).collect(Collectors.joining(", "))).append("\n");
            out.append("- every test that names it: ").append(tests.getOrDefault(k.id(), List.of()).stream()
                    .map(t -> "[" + Path.of(t).getFileName().toString().replace(".java", "") + "](" + t + ")")
                    .collect(Collectors.joining(", "))).append("\n\n");
        }
        return out.toString();
    }

    @Test
    void everyKpiHasOneDeclaration() throws IOException {
        assertThat(declarations().keySet()).containsExactlyInAnyOrderElementsOf(KpiCatalogue.all().stream().map(KpiDefinition::id).toList());
    }

    @Test
    void everyKpiHasATestNamedAfterIt() throws IOException {
        Map<String, List<String>> named = namedTests();
        assertThat(KpiCatalogue.all()).allSatisfy(k -> assertThat(named)
                .as("a test method whose name starts with " + camel(k.id()) + " and says what it checks").containsKey(k.id()));
    }

    @Test
    void everyKpiHasATestThatNamesIt() throws IOException {
        Map<String, List<String>> tests = testsByKpi();
        assertThat(KpiCatalogue.all()).allSatisfy(k -> assertThat(tests).as("a test naming " + k.id()).containsKey(k.id()));
    }

    @Test
    void docsKpisHoldsAnEntryPerKpi() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN), end = doc.indexOf(END);
        assertThat(begin).as("the generated entries' markers in " + DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String generated = entries();
        if (Boolean.getBoolean("kpi.updateDocs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end));
            return;
        }
        assertThat(doc.substring(begin + BEGIN.length(), end))
                .as(DOC + " is stale: run mvn -pl kpi-streams test -Dtest=KpiDocsTest -Dkpi.updateDocs=true").isEqualTo(generated);
    }
}
