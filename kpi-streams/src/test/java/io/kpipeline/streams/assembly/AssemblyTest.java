package io.kpipeline.streams.assembly;

import io.kpipeline.avro.DeadLetter;
import io.kpipeline.schemas.part.EventPart;
import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.kpipeline.streams.EngineHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The assembly stage in the whole topology: parts in, KPIs out, as the engine computes them from the events made. */
class AssemblyTest {
    static final String LEAD = event("l1", "LeadCreated", "2026-11-02T09:00:00Z", "\"leadId\":\"5101\",\"repId\":\"R-7\"");

    @Test
    void shouldLogACallWhoseDeliveriesCameInReverseOnce() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD);
            List<EventPart> parts = new ArrayList<>(Parts.call());
            Collections.reverse(parts);
            // every part twice, as a retried delivery sends it
            h.sendParts(parts).sendParts(parts);
            // contact at 09:03:00 (the call's own time) of a lead created at 09:00: 180 s, one touchpoint
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isEqualTo(180.0);
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("touchpoints_count", "rep", "R-7", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldNotLogAnEngagementOnNoLeadOrDealButDeadLetterItOnceNamingWhatItLacks() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD);
            List<EventPart> unlinked = Parts.call().subList(0, 4);
            h.sendParts(unlinked);
            h.advance(Duration.ofMinutes(59));
            assertThat(h.deadLetters()).isEmpty();
            h.advance(Duration.ofMinutes(2));
            List<DeadLetter> dead = h.deadLetters();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.getReasonCode()).isEqualTo("INCOMPLETE");
                assertThat(d.getReason()).contains("hubspot:call:7001").contains("an association to a lead or a deal")
                        .doesNotContain("direction");
                assertThat(StandardCharsets.UTF_8.decode(d.getRaw()).toString()).contains("created");
            });
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isNull();
            h.advance(Duration.ofHours(2));
            assertThat(h.deadLetters()).as("reported once").isEmpty();
            // the association arrives after all: the touchpoint is logged
            h.sendParts(Parts.call().subList(4, 5));
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isEqualTo(180.0);
        }
    }

    @Test
    void shouldFoldALaterOutcomeIntoTheSameTouchpoint() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD);
            h.sendParts(Parts.call());
            // the rep sets the outcome an hour later: the touchpoint changes, it is not a second one
            h.sendParts(List.of(Parts.touch("outcome", "2026-11-02T10:03:00Z", "set", Map.of("outcome", "POSITIVE"))));
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(1.0);
            // positive replies / (positive + negative): 1 / 1
            assertThat(h.value("response_sentiment", "company", "", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isEqualTo(180.0);
        }
    }

    @Test
    void shouldChurnAnAccountWhenItsLastActiveSubscriptionEnds() {
        try (EngineHarness h = new EngineHarness()) {
            // two customers since October (first wins), so both are active at the start of November
            h.send(event("a1", "DealCreated", "2026-10-01T09:00:00Z", "\"dealId\":\"D-a\",\"accountId\":\"A-a\",\"stage\":\"x\",\"amount\":\"1000\""),
                    event("a2", "DealClosed", "2026-10-05T09:00:00Z", "\"dealId\":\"D-a\",\"outcome\":\"WON\""),
                    event("b1", "DealCreated", "2026-10-01T09:00:00Z", "\"dealId\":\"D-b\",\"accountId\":\"A-b\",\"stage\":\"x\",\"amount\":\"1000\""),
                    event("b2", "DealClosed", "2026-10-10T09:00:00Z", "\"dealId\":\"D-b\",\"outcome\":\"WON\""));
            h.sendParts(List.of(Parts.subscription("e1", "2026-09-01T00:00:01Z", "A-a", "sub_a1", "active", null),
                    Parts.subscription("e2", "2026-09-01T00:00:02Z", "A-a", "sub_a2", "active", null),
                    Parts.subscription("e3", "2026-09-01T00:00:03Z", "A-b", "sub_b1", "active", null)));
            // A-a cancels one of its two subscriptions: still a customer
            h.sendParts(List.of(Parts.subscription("e4", "2026-11-10T12:00:05Z", "A-a", "sub_a1", "canceled", "2026-11-10T12:00:00Z")));
            assertThat(h.value("churn_rate", "company", "", "month", "2026-11")).isEqualTo(0.0);
            // A-b's only subscription ends: 1 of the 2 customers active on 1 November churned
            h.sendParts(List.of(Parts.subscription("e5", "2026-11-12T08:00:05Z", "A-b", "sub_b1", "canceled", "2026-11-12T08:00:00Z")));
            assertThat(h.value("churn_rate", "company", "", "month", "2026-11")).isEqualTo(0.5);
            // A-a's last one ends, Stripe's retry of it too: 2 of 2
            EventPart last = Parts.subscription("e6", "2026-11-20T17:30:05Z", "A-a", "sub_a2", "canceled", "2026-11-20T17:30:00Z");
            h.sendParts(List.of(last, last));
            assertThat(h.value("churn_rate", "company", "", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAPartThatIsNotOneAndGoOn() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD);
            var topic = h.driver.createInputTopic(EventPart.TOPIC, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            topic.pipeInput("x".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
            topic.pipeInput("x".getBytes(StandardCharsets.UTF_8), "{\"kind\":\"TOUCHPOINT\"}".getBytes(StandardCharsets.UTF_8));
            h.sendParts(Parts.call());
            assertThat(h.deadLetters()).extracting(DeadLetter::getReasonCode).containsExactly("INVALID_JSON", "MISSING_FIELD");
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isEqualTo(180.0);
        }
    }

    @Test
    void shouldLogACallOnADealOnlyOnceItsLeadHadItsGraceToArrive() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, event("d1", "DealCreated", "2026-11-02T08:00:00Z", "\"dealId\":\"D-1\",\"stage\":\"x\",\"amount\":\"100\""));
            List<EventPart> onDeal = new ArrayList<>(Parts.call().subList(0, 4));
            onDeal.add(Parts.touch("deal", "2026-11-02T09:03:20Z", "linked", Map.of("dealId", "D-1")));
            h.sendParts(onDeal);
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).as("waits for a lead").isNull();
            // the lead's association comes within the grace: logged once, on the lead
            h.sendParts(Parts.call().subList(4, 5));
            h.advance(Duration.ofMinutes(2));
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("lead_response_time", "company", "", "month", "2026-11")).isEqualTo(180.0);

            // another call on the deal alone: logged on the deal once the grace has passed
            List<EventPart> second = new ArrayList<>();
            for (EventPart p : onDeal) {
                second.add(new EventPart(p.kind(), "hubspot:62515:0-48:7002", p.partId() + "-2", p.at(), p.origin(), p.action(),
                        p.action().equals("created") ? Map.of("channel", "CALL", "touchpointId", "hubspot:call:7002", "requires", "occurredAt,direction")
                                : p.values(), p.raw()));
            }
            h.sendParts(second);
            h.advance(Duration.ofSeconds(30));
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(1.0);
            h.advance(Duration.ofSeconds(45));
            assertThat(h.value("touchpoints_count", "company", "", "month", "2026-11")).isEqualTo(2.0);
            assertThat(h.deadLetters()).isEmpty();
        }
    }
}
