package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A simulated year of a company, and its monthly churn, CAC, CLV and LTV:CAC computed here by a batch over the
 * same events, from the catalogue's definitions alone, compared month by month with what the engine answers.
 */
class SimulatedYearTest {
    static final ObjectMapper JSON = new ObjectMapper();

    record Spell(Instant start, Instant end) {
    }

    @Test
    void churnCacClvMatchABatchComputation() throws Exception {
        List<String> lines = new ArrayList<>();
        new CrmSimulator(21, 12, LocalDate.of(2025, 1, 1)).advanceTo(Instant.parse("2026-01-01T00:00:00Z"))
                .forEach(e -> lines.add(EventJson.write(e)));
        Batch b = new Batch(lines);
        try (EngineHarness h = new EngineHarness()) {
            h.send(lines);
            System.out.println("month     churn   CAC        CLV          LTV:CAC   (one simulated year, 12 leads/day)");
            for (YearMonth m = YearMonth.of(2025, 1); !m.isAfter(YearMonth.of(2025, 12)); m = m.plusMonths(1)) {
                String p = m.toString();
                Double churn = h.value("churn_rate", "company", null, "month", p);
                Double cac = h.value("cac", "company", null, "month", p);
                Double clv = h.value("clv", "company", null, "month", p);
                Double ratio = h.value("ltv_to_cac", "company", null, "month", p);
                System.out.printf("%s  %-7s %-10s %-12s %-8s%n", p, fmt(churn), fmt(cac), fmt(clv), fmt(ratio));
                assertClose(churn, b.churnRate(m), "churn " + p);
                assertClose(cac, b.cac(m), "cac " + p);
                assertClose(clv, b.clv(m), "clv " + p);
                assertClose(ratio, b.clv(m) == null || b.cac(m) == null ? null : b.clv(m) / b.cac(m), "ltv:cac " + p);
            }
            assertThat(b.spells.values().stream().filter(s -> s.stream().anyMatch(x -> x.end != null)).count()).as("some churn happened").isPositive();
        }
    }

    static String fmt(Double d) {
        return d == null ? "null" : String.format("%.4g", d);
    }

    static void assertClose(Double actual, Double expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
        } else {
            assertThat(actual).as(what).isNotNull();
            assertThat(actual).as(what).isCloseTo(expected, within(Math.abs(expected) * 1e-9 + 1e-9));
        }
    }

    /** The catalogue's definitions over the whole history at once. */
    static final class Batch {
        final Map<String, List<Spell>> spells = new HashMap<>();
        final Map<YearMonth, BigDecimal> revenue = new TreeMap<>();
        final Map<YearMonth, BigDecimal> spend = new TreeMap<>();
        final Map<YearMonth, Long> newCustomers = new TreeMap<>();

        Batch(List<String> lines) throws Exception {
            Map<String, List<JsonNode>> deals = new HashMap<>();
            Map<String, List<Instant>> churns = new HashMap<>();
            for (String line : lines) {
                JsonNode n = JSON.readTree(line);
                String type = n.get("type").asText();
                if (type.startsWith("Deal")) {
                    deals.computeIfAbsent(n.get("dealId").asText(), k -> new ArrayList<>()).add(n);
                } else if (type.equals("CustomerChurned")) {
                    churns.computeIfAbsent(n.get("accountId").asText(), k -> new ArrayList<>()).add(at(n));
                } else if (type.equals("SpendRecorded")) {
                    // the simulator's spend covers whole calendar months
                    spend.merge(YearMonth.from(LocalDate.parse(n.get("periodStart").asText())), new BigDecimal(n.get("amount").asText()), BigDecimal::add);
                }
            }
            Map<String, List<Instant>> wins = new HashMap<>();
            for (List<JsonNode> evs : deals.values()) {
                evs.sort(Comparator.comparing(Batch::at).thenComparing(n -> rank(n.get("type").asText())));
                String account = null, outcome = null;
                BigDecimal amount = null;
                Instant closed = null;
                for (JsonNode n : evs) {
                    switch (n.get("type").asText()) {
                        case "DealCreated" -> { account = n.get("accountId").asText(); amount = new BigDecimal(n.get("amount").asText()); }
                        case "DealUpdated" -> { if (n.has("amount")) amount = new BigDecimal(n.get("amount").asText()); }
                        case "DealClosed" -> { outcome = n.get("outcome").asText(); closed = at(n); }
                        case "DealReopened" -> { outcome = null; closed = null; }
                        default -> { }
                    }
                }
                if ("WON".equals(outcome)) {
                    wins.computeIfAbsent(account, k -> new ArrayList<>()).add(closed);
                    revenue.merge(YearMonth.from(closed.atZone(ZoneOffset.UTC)), amount, BigDecimal::add);
                }
            }
            for (var e : wins.entrySet()) {
                List<Instant> w = e.getValue();
                w.sort(null);
                newCustomers.merge(YearMonth.from(w.get(0).atZone(ZoneOffset.UTC)), 1L, Long::sum);
                List<Instant> c = new ArrayList<>(churns.getOrDefault(e.getKey(), List.of()));
                c.sort(null);
                List<Spell> list = new ArrayList<>();
                Instant start = null;
                int i = 0, j = 0;
                while (i < w.size() || j < c.size()) {
                    if (j >= c.size() || (i < w.size() && !w.get(i).isAfter(c.get(j)))) {
                        if (start == null) start = w.get(i);
                        i++;
                    } else {
                        if (start != null) { list.add(new Spell(start, c.get(j))); start = null; }
                        j++;
                    }
                }
                if (start != null) list.add(new Spell(start, null));
                spells.put(e.getKey(), list);
            }
        }

        long activeAtStart(YearMonth m) {
            Instant s = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            return spells.values().stream().flatMap(List::stream)
                    .filter(x -> x.start.isBefore(s) && (x.end == null || !x.end.isBefore(s))).count();
        }

        long churnsOfActive(YearMonth m) {
            Instant s = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), e = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            return spells.values().stream().flatMap(List::stream)
                    .filter(x -> x.start.isBefore(s) && x.end != null && !x.end.isBefore(s) && x.end.isBefore(e)).count();
        }

        Double churnRate(YearMonth m) {
            long a = activeAtStart(m);
            return a == 0 ? null : (double) churnsOfActive(m) / a;
        }

        Double cac(YearMonth m) {
            long n = newCustomers.getOrDefault(m, 0L);
            return n == 0 ? null : spend.getOrDefault(m, BigDecimal.ZERO).doubleValue() / n;
        }

        Double clv(YearMonth m) {
            long a = activeAtStart(m);
            if (a == 0) return null;
            BigDecimal sum = BigDecimal.ZERO;
            int months = 0;
            for (int i = 0; i < 12; i++) {
                YearMonth k = m.minusMonths(i);
                long active = activeAtStart(k);
                if (active > 0) {
                    sum = sum.add(BigDecimal.valueOf(churnsOfActive(k)).divide(BigDecimal.valueOf(active), MathContext.DECIMAL64));
                    months++;
                }
            }
            if (months == 0 || sum.signum() == 0) return null;
            double meanChurn = sum.divide(BigDecimal.valueOf(months), MathContext.DECIMAL64).doubleValue();
            return revenue.getOrDefault(m, BigDecimal.ZERO).doubleValue() / a / meanChurn;
        }

        static Instant at(JsonNode n) {
            return Instant.parse(n.get("occurredAt").asText());
        }

        static int rank(String type) {
            return switch (type) { case "DealCreated" -> 0; case "DealUpdated" -> 1; case "DealStageChanged" -> 5; case "DealClosed" -> 6; case "DealReopened" -> 7; default -> 3; };
        }
    }
}
