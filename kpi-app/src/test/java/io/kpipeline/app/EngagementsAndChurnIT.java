package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.CustomerChurned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.kpipeline.app.CrmWebhooksIT.SAMPLES;
import static io.kpipeline.app.CrmWebhooksIT.hubspotPost;
import static io.kpipeline.app.CrmWebhooksIT.post;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitMonthValue;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Touchpoints and churn from where they live, on the embedded broker: a HubSpot call logged as three deliveries in
 * reversed order gives the lead its response time and keeps its SLA alert from firing; Stripe subscription ends
 * move the churn rate as a hand computation says, and only when an account's last active subscription ends.
 */
class EngagementsAndChurnIT {
    static final String STRIPE_SECRET = "whsec_engagements_and_churn_it";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void aHubSpotCallInThreeReversedDeliveriesAnswersTheLeadInTime() throws Exception {
        // the default 5-minute SLA; the lead was created 290 s ago, so its deadline is 10 s from now
        KpiConfig config = PipelineIT.config(dir, "kpi-engagements-it", List.of("crm-mapping=" + SAMPLES.resolve("mapping-test.yaml"),
                "hubspot-client-secret=" + CrmWebhooksIT.SECRET));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String base = "http://localhost:" + p.httpPort();
            long created = Instant.now().minusSeconds(290).toEpochMilli();
            // contact 5101 (the call's lead) and 5102 (a control nobody calls), created at the same instant
            String contact = sample("hubspot-contact-created.json").replace("1793610000000", Long.toString(created));
            assertAccepted(hubspotPost(base, bytes(contact), bytes(contact)), 1);
            String control = contact.replace("5101", "5102").replace("3417601", "3417602");
            assertAccepted(hubspotPost(base, bytes(control), bytes(control)), 1);

            // the call: made 180 s after the contact's creation (hs_timestamp), recorded 5 s later, linked 20 s later;
            // HubSpot's deliveries come association first, then the properties, then the creation
            for (String name : List.of("hubspot-call-association.json", "hubspot-call-properties.json", "hubspot-call-creation.json")) {
                String delivery = sample(name).replace("1793610180000", Long.toString(created + 180_000))
                        .replace("1793610185000", Long.toString(created + 185_000)).replace("1793610200000", Long.toString(created + 200_000));
                HttpResponse<String> r = hubspotPost(base, bytes(delivery), bytes(delivery));
                assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(200);
                assertThat(JSON.readTree(r.body()).get("parts").asInt()).as(name).isPositive();
            }

            // HubSpot retries the creation (attempt 1, same eventId): the same part, no second touchpoint
            String retry = sample("hubspot-call-creation.json").replace("1793610185000", Long.toString(created + 185_000))
                    .replace("\"attemptNumber\": 0", "\"attemptNumber\": 1");
            assertThat(hubspotPost(base, bytes(retry), bytes(retry)).statusCode()).isEqualTo(200);

            String month = YearMonth.from(Instant.ofEpochMilli(created).atZone(ZoneOffset.UTC)).toString();
            // one lead answered after 180 s, the other not yet: the mean over answered leads is 180
            assertThat(awaitMonthValue(p.httpPort(), "lead_response_time", "company", null, month, 180.0)).isEqualTo(180.0);
            // the touchpoint arrived before the deadline: only the control lead breaches it
            JsonNode open = awaitOpenAlerts(p, Instant.ofEpochMilli(created).plusSeconds(300 + 15));
            assertThat(open).extracting(a -> a.get("leadId").asText()).containsExactly("5102");
            assertThat(StreamSupport.stream(get(p, "/api/alerts?status=all").spliterator(), false).map(a -> a.get("leadId").asText()))
                    .doesNotContain("5101");

            // one touchpoint, with the call's own time and the owner's rep
            List<CrmEvent> touchpoints = CrmWebhooksIT.read(p, CrmEvent.class, "crm-events", 3).stream()
                    .filter(e -> e.getPayload() instanceof io.kpipeline.avro.TouchpointLogged).toList();
            assertThat(touchpoints).hasSize(1);
            assertThat(touchpoints.get(0).getOccurredAt()).isEqualTo(Instant.ofEpochMilli(created + 180_000));
            assertThat(((io.kpipeline.avro.TouchpointLogged) touchpoints.get(0).getPayload()).getRepId()).isEqualTo("R-7");
        }
    }

    @Test
    @Timeout(300)
    void anAccountChurnsWhenItsLastActiveStripeSubscriptionEnds() throws Exception {
        KpiConfig config = PipelineIT.config(dir, "kpi-churn-it", List.of("crm-mapping=" + SAMPLES.resolve("mapping-test.yaml"),
                "stripe-webhook-secret=" + STRIPE_SECRET));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String url = "http://localhost:" + p.httpPort() + "/webhooks/stripe";
            // two customers won in October: A-bee and A-two (the CRM account ids Stripe's metadata names)
            PipelineIT.send(p, java.util.stream.Stream.of(won("bee", "A-bee"), won("two", "A-two")).flatMap(List::stream).toArray(String[]::new));
            // A-bee pays two subscriptions, A-two one
            for (String[] s : List.of(new String[] {"sub_bee_1", "A-bee"}, new String[] {"sub_bee_2", "A-bee"}, new String[] {"sub_two_1", "A-two"})) {
                assertAccepted(stripePost(url, created(s[0], s[1]), STRIPE_SECRET), 1);
            }
            // November: two customers active at its start, none churned yet: 0 / 2
            assertThat(awaitMonthValue(p.httpPort(), "churn_rate", "company", null, "2026-11", 0.0)).isEqualTo(0.0);

            // A-bee ends one of its two subscriptions on 12 November: it still pays the other, so it has not churned
            assertAccepted(stripePost(url, ended("evt_bee_1_end", "sub_bee_1", "A-bee", "2026-11-12T08:00:00Z", false), STRIPE_SECRET), 1);
            // A-two's only subscription is updated to canceled on 14 November: A-two churns, 1 / 2
            assertAccepted(stripePost(url, ended("evt_two_1_end", "sub_two_1", "A-two", "2026-11-14T08:00:00Z", true), STRIPE_SECRET), 1);
            assertThat(awaitMonthValue(p.httpPort(), "churn_rate", "company", null, "2026-11", 0.5)).isEqualTo(0.5);
            // and stays there: A-bee's first end made no churn (had it, both would have churned by now)
            PipelineIT.awaitSettled(p);
            assertThat(PipelineIT.monthValue(p.httpPort(), "churn_rate", "company", null, "2026-11")).isEqualTo(0.5);
            assertThat(churns(p, 5)).extracting(CustomerChurned::getAccountId).containsExactly("A-two");
            // A-bee's last subscription ends on 20 November: both customers churned, 2 / 2
            String last = ended("evt_bee_2_end", "sub_bee_2", "A-bee", "2026-11-20T08:00:00Z", false);
            assertAccepted(stripePost(url, last, STRIPE_SECRET), 1);
            assertThat(awaitMonthValue(p.httpPort(), "churn_rate", "company", null, "2026-11", 1.0)).isEqualTo(1.0);

            // Stripe retries the last delivery (a new signature): no new churn event, the rate stays
            assertAccepted(stripePost(url, last, STRIPE_SECRET), 1);
            // signed with another secret: refused, nothing written
            HttpResponse<String> forged = stripePost(url, ended("evt_forged", "sub_bee_2", "A-bee", "2026-11-21T08:00:00Z", false), "whsec_other");
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(forged.body()).get("error").asText()).contains("Stripe-Signature");
            PipelineIT.awaitSettled(p);
            assertThat(PipelineIT.monthValue(p.httpPort(), "churn_rate", "company", null, "2026-11")).isEqualTo(1.0);
            // one churn per account, at the end of its last subscription, whatever Stripe retried
            assertThat(churns(p, 6)).extracting(c -> c.getAccountId()).containsExactlyInAnyOrder("A-bee", "A-two");
        }
    }

    /** The churn events on crm-events, read once at least {@code records} records are there. */
    static List<CustomerChurned> churns(Pipeline p, int records) {
        return CrmWebhooksIT.read(p, CrmEvent.class, "crm-events", records).stream()
                .filter(e -> e.getPayload() instanceof CustomerChurned).map(e -> (CustomerChurned) e.getPayload()).toList();
    }

    /** A deal of the account created on 1 October and won on 10 October, as contract JSON. */
    static List<String> won(String id, String account) {
        return List.of("{\"eventId\":\"" + id + "-created\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-10-01T09:00:00Z\",\"dealId\":\"D-" + id
                + "\",\"accountId\":\"" + account + "\",\"repId\":\"R-7\",\"stage\":\"proposal\",\"amount\":\"12000\",\"currency\":\"EUR\"}",
                "{\"eventId\":\"" + id + "-won\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-10-10T09:00:00Z\",\"dealId\":\"D-" + id
                + "\",\"outcome\":\"WON\"}");
    }

    /** Stripe's customer.subscription.created sample, for another subscription and account. */
    static String created(String subscription, String account) {
        return sample("stripe-subscription-created.json").replace("evt_1QcreateB000000000000001", "evt_" + subscription + "_created")
                .replace("sub_1QbeeB0000000000000001", subscription).replace("A-bee", account)
                .replace("cus_Rbee0000000001", "cus_" + account);
    }

    /**
     * Stripe's customer.subscription.deleted sample for another subscription, ended at {@code at}; or, with
     * {@code updated}, the customer.subscription.updated Stripe sends when a subscription's status becomes canceled.
     */
    static String ended(String event, String subscription, String account, String at, boolean updated) {
        String epoch = Long.toString(Instant.parse(at).getEpochSecond());
        String json = sample("stripe-subscription-deleted.json").replace("evt_1QchurnB0000000000000001", event)
                .replace("sub_1QbeeB0000000000000001", subscription).replace("A-bee", account)
                .replace("cus_Rbee0000000001", "cus_" + account).replace("1794470400", epoch);
        return updated ? json.replace("customer.subscription.deleted", "customer.subscription.updated")
                .replace("\"previous_attributes\": null", "\"previous_attributes\": {\"status\": \"active\"}") : json;
    }

    /** Posts as Stripe does: {@code Stripe-Signature: t=<now>,v1=<hex HMAC-SHA256 of "t.body" keyed by the secret>}. */
    static HttpResponse<String> stripePost(String url, String body, String secret) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return post(url, bytes(body), Map.of("Stripe-Signature", "t=" + t + ",v1=" + v1, "Content-Type", "application/json"));
    }

    static void assertAccepted(HttpResponse<String> r, int items) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("accepted").asInt() + answer.get("parts").asInt()).as(r.body()).isEqualTo(items);
        assertThat(answer.get("rejected")).as(r.body()).isEmpty();
    }

    static JsonNode awaitOpenAlerts(Pipeline p, Instant until) throws Exception {
        JsonNode open = get(p, "/api/alerts?status=open");
        while (open.isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(200);
            open = get(p, "/api/alerts?status=open");
        }
        // the deadline has passed once the control lead's alert is there; wait a little more for one that should not be
        Thread.sleep(2_000);
        return get(p, "/api/alerts?status=open");
    }

    static String sample(String name) {
        try {
            return Files.readString(SAMPLES.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
