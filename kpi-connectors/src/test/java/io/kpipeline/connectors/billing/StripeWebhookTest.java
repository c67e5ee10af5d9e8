package io.kpipeline.connectors.billing;

import com.stripe.net.Webhook;
import io.kpipeline.connectors.crm.CrmMapping;
import io.kpipeline.connectors.crm.Samples;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.schemas.part.EventPart;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stripe's subscription events, signed as Stripe signs them, as subscription parts of an account. */
class StripeWebhookTest {
    static final String URL = "https://kpi.example.com/webhooks/stripe";
    static final String SECRET = "whsec_test_secret";
    final Instant now = Instant.parse("2026-11-12T08:00:10Z");
    final StripeWebhook stripe = new StripeWebhook(SECRET, Clock.fixed(now, ZoneOffset.UTC), Samples.mapping().stripe());

    /**
     * A vector worked out apart from this code, with OpenSSL, as Stripe's documentation describes the v1 scheme (hex
     * HMAC-SHA256 keyed by the endpoint secret over "{t}.{body}"):
     * {@code printf '%s' "1764662400.${body}" | openssl dgst -sha256 -hmac whsec_fixed_vector_secret}
     */
    @Test
    void shouldAcceptTheSignatureOfAFixedVectorAndRefuseItChangedOrStale() {
        byte[] body = "{\"id\":\"evt_vector\",\"object\":\"event\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
        String v1 = "4fbe7885fda4a1f2e11cd925654d3488f834da3c18a90eecd7ce37d74da67067";
        Instant signedAt = Instant.ofEpochSecond(1764662400L); // 2025-12-02T08:00:00Z
        StripeWebhook at = new StripeWebhook("whsec_fixed_vector_secret", Clock.fixed(signedAt.plusSeconds(299), ZoneOffset.UTC),
                CrmMapping.defaults().stripe());
        at.authenticate(Samples.post(URL, Map.of(StripeWebhook.SIGNATURE, "t=1764662400,v1=" + v1), body));
        String changed = v1.substring(0, 10) + (v1.charAt(10) == 'a' ? 'b' : 'a') + v1.substring(11);
        assertThatThrownBy(() -> at.authenticate(Samples.post(URL, Map.of(StripeWebhook.SIGNATURE, "t=1764662400,v1=" + changed), body)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("Stripe-Signature");
        // Stripe's libraries refuse a timestamp more than 300 s old
        StripeWebhook later = new StripeWebhook("whsec_fixed_vector_secret", Clock.fixed(signedAt.plusSeconds(301), ZoneOffset.UTC),
                CrmMapping.defaults().stripe());
        assertThatThrownBy(() -> later.authenticate(Samples.post(URL, Map.of(StripeWebhook.SIGNATURE, "t=1764662400,v1=" + v1), body)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> at.authenticate(Samples.post(URL, Map.of(), body))).hasMessageContaining("missing Stripe-Signature");
    }

    @Test
    void shouldMakeASubscriptionsEndAStatusPartOfItsAccount() {
        Translation t = stripe.translate(Samples.post(URL, Map.of(), Samples.bytes("stripe-subscription-deleted.json")));
        EventPart p = t.parts().get(0);
        // the test mapping names the account by the metadata key crm_account_id
        assertThat(p.key()).isEqualTo("account:A-bee");
        assertThat(p.kind()).isEqualTo(EventPart.Kind.SUBSCRIPTION);
        assertThat(p.partId()).isEqualTo("stripe:evt_1QchurnB0000000000000001");
        assertThat(p.values()).containsEntry("subscriptionId", "sub_1QbeeB0000000000000001").containsEntry("status", "canceled")
                // ended_at, not the event's created (5 s later)
                .containsEntry("endedAt", "2026-11-12T08:00:00Z").containsEntry("accountId", "A-bee");
        assertThat(p.at()).isEqualTo(Instant.parse("2026-11-12T08:00:05Z"));
        // by default the customer id is the account
        Translation byCustomer = new StripeWebhook(SECRET, Clock.systemUTC(), CrmMapping.defaults().stripe())
                .translate(Samples.post(URL, Map.of(), Samples.bytes("stripe-subscription-deleted.json")));
        assertThat(byCustomer.parts().get(0).key()).isEqualTo("account:cus_Rbee0000000001");
    }

    @Test
    void shouldIgnoreOtherEventTypesAndDeadLetterAnAccountItCannotName() {
        Translation invoice = stripe.translate(Samples.post(URL, Map.of(),
                "{\"id\":\"evt_2\",\"object\":\"event\",\"created\":1794470405,\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(invoice.parts()).isEmpty();
        assertThat(invoice.ignored()).isEqualTo(1);
        String noMetadata = new String(Samples.bytes("stripe-subscription-deleted.json"), StandardCharsets.UTF_8)
                .replace("{\"crm_account_id\": \"A-bee\"}", "{}");
        Translation t = stripe.translate(Samples.post(URL, Map.of(), noMetadata.getBytes(StandardCharsets.UTF_8)));
        assertThat(t.parts()).isEmpty();
        assertThat(t.rejected()).hasSize(1);
        assertThat(t.rejected().get(0).reason().reasonCode()).isEqualTo("MISSING_FIELD");
        assertThat(t.rejected().get(0).reason().getMessage()).contains("crm_account_id").contains("cus_Rbee0000000001");
        assertThatThrownBy(() -> stripe.translate(Samples.post(URL, Map.of(), "[1,2]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WebhookException.class).hasMessageContaining("event object");
    }

    @Test
    void shouldVerifyWhatStripesLibrarySigns() throws Exception {
        byte[] body = Samples.bytes("stripe-subscription-deleted.json");
        String header = Webhook.Signature.generateSignatureHeader(new String(body, StandardCharsets.UTF_8), SECRET, now.getEpochSecond());
        stripe.authenticate(Samples.post(URL, Map.of("stripe-signature", header), body));
    }
}
