package io.kpipeline.streams.topology;

import io.kpipeline.streams.EngineHarness;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.kpi.KpiCatalogue;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.time.Grain;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static io.kpipeline.streams.EngineHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lead's touchpoints are kept apart from its history ({@link LeadTouchpoints}): a touchpoint logged in order adds
 * its own contributions from what is kept, anything else reads what it needs. These tests hold both paths to the
 * same answers, and count the work of the last touchpoint of a long history.
 */
class LeadTouchpointsTest {
    private static final String[] CHANNELS = {"CALL", "EMAIL", "MEETING"};
    private static final String[] OUTCOMES = {"NONE", "POSITIVE", "MEETING_BOOKED", "MEETING_DECLINED"};

    /** A touchpoint as the reference reads it: first time, latest fields. */
    private record Tp(String id, String eventId, Instant at, String channel, boolean outbound, String outcome) {
    }

    /**
     * Leads with touchpoints logged again (new fields, earlier or later times), meetings, a reassignment, a deal with
     * touchpoints of its own whose product changes, and the lead created late or early: sent in event-time order
     * (touchpoints in order take the kept path), reversed (each touchpoint out of order), and shuffled with
     * duplicates across 4 partitions, every KPI agrees; and touchpoints and touchpoints to first meeting equal a
     * reference computed here from the events.
     */
    @Property(tries = 15)
    void keptAndReadPathsGiveTheSameKpis(@ForAll @LongRange(min = 1, max = 1_000_000_000) long seed) {
        Random random = new Random(seed);
        List<String[]> timed = new ArrayList<>(); // {occurredAt, json}
        Map<String, List<Tp>> leadEvents = new HashMap<>();
        Map<String, List<Tp>> dealEvents = new HashMap<>();
        Instant start = Instant.parse("2026-11-02T08:00:00Z");
        int n = 0;
        for (int l = 0; l < 3; l++) {
            String lead = "L" + l, deal = "D" + l;
            Instant created = start.plusSeconds(random.nextInt(3_600));
            timed.add(new String[]{created.toString(), event("c" + l, "LeadCreated", created.toString(),
                    "\"leadId\":\"" + lead + "\",\"repId\":\"R1\",\"teamId\":\"T1\",\"source\":\"web\"")});
            if (random.nextBoolean()) {
                Instant at = start.plusSeconds(random.nextInt(20_000));
                timed.add(new String[]{at.toString(), event("a" + l, "LeadAssigned", at.toString(),
                        "\"leadId\":\"" + lead + "\",\"repId\":\"R2\",\"teamId\":\"T2\"")});
            }
            boolean withDeal = random.nextBoolean();
            if (withDeal) {
                Instant at = start.plusSeconds(5_000 + random.nextInt(5_000));
                timed.add(new String[]{at.toString(), event("v" + l, "LeadConverted", at.toString(),
                        "\"leadId\":\"" + lead + "\",\"dealId\":\"" + deal + "\"")});
                timed.add(new String[]{at.toString(), event("d" + l, "DealCreated", at.toString(),
                        "\"dealId\":\"" + deal + "\",\"leadId\":\"" + lead + "\",\"product\":\"P1\",\"stage\":\"discovery\",\"amount\":\"1000\"")});
                if (random.nextBoolean()) {
                    Instant u = at.plusSeconds(random.nextInt(10_000));
                    timed.add(new String[]{u.toString(), event("u" + l, "DealUpdated", u.toString(),
                            "\"dealId\":\"" + deal + "\",\"product\":\"P2\"")});
                }
            }
            int touches = 1 + random.nextInt(25);
            // for some leads every touchpoint is new, so that no later read of them all hides a wrong kept count
            boolean distinct = random.nextBoolean();
            for (int i = 0; i < touches; i++) {
                boolean onDeal = withDeal && random.nextInt(4) == 0;
                String tpId = "tp" + l + "-" + (distinct ? i : random.nextInt(Math.max(1, touches * 2 / 3))) + (onDeal && random.nextBoolean() ? "d" : "");
                Instant at = start.plusSeconds(random.nextInt(30_000));
                String channel = CHANNELS[random.nextInt(CHANNELS.length)], outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
                boolean outbound = random.nextInt(3) > 0;
                String eventId = "t" + (n++);
                String owner = onDeal ? "\"dealId\":\"" + deal + "\"" : "\"leadId\":\"" + lead + "\""
                        + (withDeal && random.nextBoolean() ? ",\"dealId\":\"" + deal + "\"" : "");
                timed.add(new String[]{at.toString(), event(eventId, "TouchpointLogged", at.toString(), "\"touchpointId\":\"" + tpId + "\","
                        + owner + ",\"repId\":\"R" + random.nextInt(3) + "\",\"channel\":\"" + channel + "\",\"direction\":\""
                        + (outbound ? "OUTBOUND" : "INBOUND") + "\",\"outcome\":\"" + outcome + "\"")});
                (onDeal ? dealEvents : leadEvents).computeIfAbsent(onDeal ? deal : lead, k -> new ArrayList<>())
                        .add(new Tp(tpId, eventId, at, channel, outbound, outcome));
            }
        }
        timed.sort(Comparator.comparing((String[] e) -> e[0]));

        List<String> ordered = new ArrayList<>(timed.stream().map(e -> e[1]).toList());
        List<String> reversed = new ArrayList<>(ordered);
        Collections.reverse(reversed);
        List<String> shuffled = new ArrayList<>(ordered);
        for (String e : ordered) {
            if (random.nextInt(4) == 0) {
                shuffled.add(e);
            }
        }
        Collections.shuffle(shuffled, random);

        try (EngineHarness a = new EngineHarness(); EngineHarness b = new EngineHarness();
             EngineHarness c = new EngineHarness(EngineSettings.defaults(), AlertSettings.defaults(), 4)) {
            a.send(ordered);
            b.send(reversed);
            c.send(shuffled);
            String period = "2026-11";
            for (KpiDefinition k : KpiCatalogue.all()) {
                for (var d : k.dimensions()) {
                    TreeSet<String> keys = new TreeSet<>();
                    int p = Grain.MONTH.parse(period);
                    k.measures().forEach(m -> keys.addAll(a.reader().keys(m, d, Grain.MONTH, p)));
                    k.measures().forEach(m -> keys.addAll(c.reader().keys(m, d, Grain.MONTH, p)));
                    for (String key : keys) {
                        var expected = a.point(k.id(), d.id(), key, "month", period);
                        assertThat(b.point(k.id(), d.id(), key, "month", period)).as("reversed %s %s=%s", k.id(), d.id(), key).isEqualTo(expected);
                        assertThat(c.point(k.id(), d.id(), key, "month", period)).as("shuffled %s %s=%s", k.id(), d.id(), key).isEqualTo(expected);
                    }
                }
            }
            Reference ref = new Reference(leadEvents, dealEvents);
            var touchpoints = a.point("touchpoints_count", "company", "", "month", period);
            assertThat(touchpoints.path("value").asDouble()).isEqualTo(ref.touchpoints());
            var meeting = a.point("touchpoints_to_first_meeting", "company", "", "month", period);
            assertThat(meeting.path("count").asLong()).as("leads with a first meeting").isEqualTo(ref.meetings.size());
            if (!ref.meetings.isEmpty()) {
                double mean = ref.meetings.stream().mapToLong(Long::longValue).sum() / (double) ref.meetings.size();
                assertThat(meeting.path("value").asDouble()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    /** A sample jqwik found: a lead whose touchpoints are all on its deal, whose first meeting is the deal's. */
    @net.jqwik.api.Example
    void aLeadWhoseTouchpointsAreAllOnItsDeal() {
        keptAndReadPathsGiveTheSameKpis(49);
    }

    /** The touchpoint KPIs read from the whole history at once, as the catalogue defines them. */
    private static final class Reference {
        final List<Long> meetings = new ArrayList<>();
        private final Map<String, Map<String, Tp>> leads = new HashMap<>();
        private final Map<String, Map<String, Tp>> deals = new HashMap<>();

        Reference(Map<String, List<Tp>> leadEvents, Map<String, List<Tp>> dealEvents) {
            leadEvents.forEach((lead, events) -> leads.put(lead, fold(events)));
            dealEvents.forEach((deal, events) -> deals.put(deal, fold(events)));
            // every lead, also one whose touchpoints are all on its deal
            for (int l = 0; l < 3; l++) {
                Map<String, Tp> union = new LinkedHashMap<>(leads.getOrDefault("L" + l, Map.of()));
                deals.getOrDefault("D" + l, Map.of()).forEach(union::putIfAbsent);
                List<Tp> all = new ArrayList<>(union.values());
                all.sort(Comparator.comparing(Tp::at).thenComparing(Tp::eventId));
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).outcome().equals("MEETING_BOOKED")) {
                        meetings.add(i + 1L);
                        break;
                    }
                }
            }
        }

        /** Distinct touchpoints by id: the first event's time and id, the latest event's fields. */
        private static Map<String, Tp> fold(List<Tp> events) {
            List<Tp> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparing(Tp::at).thenComparing(Tp::eventId));
            Map<String, Tp> byId = new LinkedHashMap<>();
            for (Tp t : sorted) {
                Tp first = byId.get(t.id());
                byId.put(t.id(), first == null ? t : new Tp(t.id(), first.eventId(), first.at(), t.channel(), t.outbound(), t.outcome()));
            }
            return byId;
        }

        double touchpoints() {
            // the deals' own touchpoints count too (under the deal), each distinct touchpoint once per entity
            return leads.values().stream().mapToInt(Map::size).sum() + deals.values().stream().mapToInt(Map::size).sum();
        }
    }

    /**
     * The last of 10,000 touchpoints logged in order on one lead reads as many stored touchpoints as the first did
     * (none: both are counted from what the lead keeps), and the lead's own store entry, written at each commit, stays
     * the size it had after the second (varints of its counts aside): logging a touchpoint never rewrites the lead's
     * history.
     */
    @Test
    void theLastOfTenThousandTouchpointsCostsWhatTheFirstDid() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(event("c", "LeadCreated", "2026-11-02T08:00:00Z", "\"leadId\":\"L\",\"repId\":\"R1\",\"source\":\"web\""));
            Instant t0 = Instant.parse("2026-11-02T08:05:00Z");
            long[] reads = new long[10_000];
            int[] entrySize = new int[10_000];
            var entities = h.driver.getKeyValueStore(Stores.ENTITIES);
            for (int i = 0; i < 10_000; i++) {
                long before = h.touchRecordsRead();
                h.send(event("t" + i, "TouchpointLogged", t0.plusSeconds(i).toString(), "\"touchpointId\":\"tp" + i
                        + "\",\"leadId\":\"L\",\"repId\":\"R1\",\"channel\":\"" + (i % 2 == 0 ? "CALL" : "EMAIL") + "\""));
                reads[i] = h.touchRecordsRead() - before;
                entrySize[i] = ((byte[]) entities.get("lead:L")).length;
            }
            // the lead's first contact at 5 minutes, 10,000 touchpoints, half of them calls
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(10_000.0);
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isNotNull();
            assertThat(reads[9_999]).as("stored touchpoints read by the last").isEqualTo(reads[0]).isZero();
            // the second outbound touchpoint adds the lead's followed-up contribution; after it only the varints of its
            // three counts (1 -> 2 bytes each) and the last event id ("t1" -> "t9999") grow: 6 bytes
            assertThat(entrySize[9_999]).as("bytes of the lead's entry after the last").isEqualTo(entrySize[1] + 6);
            // 9,000 more touchpoints: one more digit in the last event id
            assertThat(entrySize[9_999]).isEqualTo(entrySize[999] + 1);
        }
    }
}
