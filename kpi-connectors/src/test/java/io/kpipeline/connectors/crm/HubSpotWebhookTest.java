package io.kpipeline.connectors.crm;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealOutcome;
import io.kpipeline.avro.DealReopened;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.QualificationLevel;
import io.kpipeline.connectors.crm.hubspot.HubSpotSignature;
import io.kpipeline.connectors.crm.hubspot.HubSpotWebhook;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotWebhookTest {
    static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    static final String URL = "https://kpi.example.com/webhooks/hubspot";
    final Instant now = Instant.parse("2026-11-14T10:00:30Z");
    final HubSpotSignature signature = new HubSpotSignature(SECRET, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    final HubSpotWebhook hubspot = new HubSpotWebhook(signature, Samples.mapping().hubspot());

    WebhookRequest signed(byte[] body, long timestamp) {
        String ts = Long.toString(timestamp);
        return Samples.post(URL, Map.of(HubSpotSignature.SIGNATURE, signature.sign("POST", URL, body, ts), HubSpotSignature.TIMESTAMP, ts), body);
    }

    /**
     * A vector worked out apart from this code, with OpenSSL, as HubSpot's documentation describes v3 (Base64 of
     * HMAC-SHA256 over method + URI + body + timestamp, keyed by the client secret):
     * {@code printf '%s' "POST${url}${body}${ts}" | openssl dgst -sha256 -hmac "$secret" -binary | base64}
     */
    @Test
    void shouldAcceptTheSignatureOfAFixedVectorAndRefuseItChanged() {
        String secret = "fixed-vector-client-secret";
        String body = "[{\"eventId\":1,\"subscriptionType\":\"deal.creation\",\"objectId\":123}]";
        String ts = "1764662400000"; // 2025-12-02T08:00:00Z
        String expected = "R9AcYEaa3J7eNgrD9BrkEyYhBGjOBTP23/FwBkbUkXU=";
        HubSpotSignature v3 = new HubSpotSignature(secret, Duration.ofMinutes(5), Clock.fixed(Instant.ofEpochMilli(Long.parseLong(ts)), ZoneOffset.UTC));
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        v3.verify(Samples.post(URL, Map.of(HubSpotSignature.SIGNATURE, expected, HubSpotSignature.TIMESTAMP, ts), bytes));
        String changed = expected.substring(0, 10) + (expected.charAt(10) == 'A' ? 'B' : 'A') + expected.substring(11);
        assertThatThrownBy(() -> v3.verify(Samples.post(URL, Map.of(HubSpotSignature.SIGNATURE, changed, HubSpotSignature.TIMESTAMP, ts), bytes)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("does not match");
    }

    @Test
    void shouldTranslateDocumentedContactAndDealEvents() {
        Translation t = hubspot.translate(signed(Samples.bytes("hubspot-deal-journey.json"), now.toEpochMilli()));

        // 10 subscription events: the 'firstname' change and the custom stage have no mapping (dead letters);
        // the other 8 become one canonical event each, in delivery order
        List<CrmEvent> e = t.events();
        assertThat(e).extracting(x -> x.getType().name()).containsExactly("LeadCreated", "LeadAssigned", "LeadQualified",
                "DealCreated", "DealUpdated", "DealUpdated", "DealReopened", "DealClosed");
        assertThat(e.get(0).getOccurredAt()).isEqualTo("2026-11-02T09:00:00Z");
        assertThat(e.get(0).getOrigin()).isEqualTo("hubspot");
        // owner 52550153 is R-7 of T-emea in the test mapping
        LeadAssigned assigned = (LeadAssigned) e.get(1).getPayload();
        assertThat(assigned.getRepId()).isEqualTo("R-7");
        assertThat(assigned.getTeamId()).isEqualTo("T-emea");
        assertThat(((LeadQualified) e.get(2).getPayload()).getLevel()).isEqualTo(QualificationLevel.SQL);
        // creation carries no properties: the initial stage, amount 0 until the amount change at the same instant
        DealCreated created = (DealCreated) e.get(3).getPayload();
        assertThat(created.getStage()).isEqualTo("Appointment scheduled");
        assertThat(created.getAmount()).isEqualTo("0");
        assertThat(((DealUpdated) e.get(4).getPayload()).getAmount()).isEqualTo("24000");
        assertThat(((DealUpdated) e.get(5).getPayload()).getRepId()).isEqualTo("R-7");
        assertThat(((DealReopened) e.get(6).getPayload()).getStage()).isEqualTo("Qualified to buy");
        assertThat(((DealClosed) e.get(7).getPayload()).getOutcome()).isEqualTo(DealOutcome.WON);
        assertThat(e.get(7).getOccurredAt()).isEqualTo("2026-11-14T10:00:00Z");

        assertThat(t.rejected()).extracting(r -> r.index() + " " + r.reason().reasonCode())
                .containsExactly("3 UNMAPPED_FIELD", "8 UNMAPPED_STAGE");
        assertThat(t.rejected().get(1).reason().getMessage()).contains("custompipelinestage7");
        assertThat(new String(t.rejected().get(0).raw(), StandardCharsets.UTF_8)).contains("\"firstname\"");
    }

    @Test
    void shouldGiveARetriedDeliveryTheSameEventIds() {
        byte[] body = Samples.bytes("hubspot-deal-journey.json");
        // HubSpot retries with attemptNumber raised; nothing else changes
        byte[] retry = new String(body, StandardCharsets.UTF_8).replace("\"attemptNumber\": 0", "\"attemptNumber\": 1").getBytes(StandardCharsets.UTF_8);
        assertThat(hubspot.translate(signed(retry, now.toEpochMilli())).events()).extracting(CrmEvent::getEventId)
                .isEqualTo(hubspot.translate(signed(body, now.toEpochMilli())).events().stream().map(CrmEvent::getEventId).toList());
    }

    @Test
    void shouldAcceptOnlyRequestsSignedWithTheClientSecretWithinFiveMinutes() {
        byte[] body = Samples.bytes("hubspot-deal-journey.json");
        hubspot.authenticate(signed(body, now.toEpochMilli() - 60_000));

        WebhookRequest good = signed(body, now.toEpochMilli());
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("24000", "99000").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> hubspot.authenticate(Samples.post(URL, good.headers(), tampered)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> hubspot.authenticate(signed(body, now.toEpochMilli() - 6 * 60_000)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("stale");
        HubSpotSignature other = new HubSpotSignature("another-secret", Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
        String ts = Long.toString(now.toEpochMilli());
        assertThatThrownBy(() -> hubspot.authenticate(Samples.post(URL, Map.of(HubSpotSignature.SIGNATURE, other.sign("POST", URL, body, ts),
                HubSpotSignature.TIMESTAMP, ts), body))).isInstanceOf(WebhookException.class);
        assertThatThrownBy(() -> hubspot.authenticate(Samples.post(URL, Map.of(), body)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("missing");
    }

    @Test
    void shouldSignTheUriWithHubSpotsDecodedCharacters() {
        // HubSpot decodes %3A, %2F, %3F, %40, ... in the URI before signing; an encoded query must verify the same
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(now.toEpochMilli());
        String plain = signature.sign("POST", "https://kpi.example.com/webhooks/hubspot?from=a:b", body, ts);
        assertThat(signature.sign("POST", "https://kpi.example.com/webhooks/hubspot?from=a%3Ab", body, ts)).isEqualTo(plain);
    }

    @Test
    void shouldRefuseABodyThatIsNotAnArrayOfEvents() {
        assertThatThrownBy(() -> hubspot.translate(Samples.post(URL, Map.of(), "{\"objectId\":1}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WebhookException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> hubspot.translate(Samples.post(URL, Map.of(), "[{".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WebhookException.class).hasMessageContaining("not JSON");
    }
}
