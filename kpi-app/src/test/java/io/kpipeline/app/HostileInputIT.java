package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.kpipeline.app.CrmWebhooksIT.SAMPLES;
import static io.kpipeline.app.CrmWebhooksIT.post;
import static io.kpipeline.app.CrmWebhooksIT.read;
import static io.kpipeline.app.PipelineIT.HTTP;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at the pipeline's entry points, each answered with what is wrong while the valid data beside it arrives:
 * an event too large for a Kafka record and one in a currency without an exchange rate, refused in the answer of the
 * delivery that carried them; a lower-case bearer scheme; unknown endpoints; a Salesforce opportunity won, reopened
 * and won again; a Salesforce notification with a malformed date next to a valid one.
 */
class HostileInputIT {
    private static final String TOKEN = "hostile-token";

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void badItemsAreRefusedByNameAndTheRestArrives() throws Exception {
        KpiConfig config = config(dir, "kpi-hostile-it", List.of("webhook-token=" + TOKEN, "crm-mapping=" + SAMPLES.resolve("mapping-test.yaml"),
                "salesforce-organization-id=00D5g000004XyzA"));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String base = "http://localhost:" + p.httpPort();

            // one valid lead and one whose campaign id makes it a 2 MB record (under webhook-max-bytes, over Kafka's limit)
            String big = "x".repeat(2_000_000);
            String delivery = "[" + lead("h-1", "L-h1") + "," + lead("h-2", "L-h2").replace("\"source\"", "\"campaignId\":\"" + big + "\",\"source\"") + "]";
            HttpResponse<String> r = events(base, delivery, "bearer " + TOKEN); // RFC 7235: the scheme is case-insensitive
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(r.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(1);
            assertThat(answer.get("rejected")).hasSize(1);
            assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
            assertThat(answer.get("rejected").get(0).get("reasonCode").asText()).isEqualTo("TOO_LARGE");
            assertThat(answer.get("rejected").get(0).get("reason").asText()).contains("record limit");

            // a deal in a currency with no exchange rate is refused now, not dropped later by the engine
            String deal = "{\"eventId\":\"h-3\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:00:00Z\",\"dealId\":\"D-h1\","
                    + "\"stage\":\"discovery\",\"amount\":\"100\",\"currency\":\"XYZ\"}";
            r = events(base, "[" + deal + "," + lead("h-4", "L-h3") + "]", "Bearer " + TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            answer = JSON.readTree(r.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(1);
            assertThat(answer.get("rejected").get(0).get("reasonCode").asText()).isEqualTo("NO_FX_RATE");
            assertThat(answer.get("rejected").get(0).get("reason").asText()).contains("XYZ");
            assertThat(events(base, "[" + lead("h-5", "L-h5") + "]", "Basic " + TOKEN).statusCode()).isEqualTo(401);

            // unknown endpoints answer JSON naming the request
            for (String method : List.of("GET", "POST", "DELETE")) {
                HttpResponse<String> nope = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/nope"))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(nope.statusCode()).as(method).isEqualTo(404);
                assertThat(JSON.readTree(nope.body()).get("error").asText()).as(method).contains(method).contains("/api/nope");
            }

            // Salesforce: won, reopened, won again on the same close date: the second close is a new close
            assertThat(salesforce(base, opportunity("04l000000000001AAA", true, "Closed Won", "2026-11-05T10:00:00.000Z"))).isEqualTo(200);
            assertThat(salesforce(base, opportunity("04l000000000002AAA", false, "Prospecting", "2026-11-06T10:00:00.000Z"))).isEqualTo(200);
            assertThat(salesforce(base, opportunity("04l000000000003AAA", true, "Closed Won", "2026-11-07T10:00:00.000Z"))).isEqualTo(200);
            // a lead with a malformed ConvertedDate next to a valid lead: acknowledged, the valid one kept
            assertThat(salesforce(base, leadNotification("04l000000000004AAA", "00Q000000000001AAA", "2026-13-45")
                    + leadNotification("04l000000000005AAA", "00Q000000000002AAA", null))).isEqualTo(200);

            // leads by source: the two valid leads of the generic webhook; the two Salesforce leads under their source
            assertThat(PipelineIT.awaitMonthValue(p.httpPort(), "leads_created", "source", "hostile", "2026-11", 2.0)).isEqualTo(2.0);
            assertThat(PipelineIT.awaitMonthValue(p.httpPort(), "revenue", "rep", "R-7", "2026-11", 31_000.0)).isEqualTo(31_000.0);
            assertThat(PipelineIT.awaitMonthValue(p.httpPort(), "leads_created", "source", "inbound-web", "2026-11", 2.0)).isEqualTo(2.0);

            List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 3);
            assertThat(dead).extracting(d -> d.getSource() + " " + d.getReasonCode())
                    .contains("webhook:events TOO_LARGE", "webhook:events NO_FX_RATE", "webhook:salesforce INVALID_FIELD");
            DeadLetter tooLarge = dead.stream().filter(d -> d.getReasonCode().equals("TOO_LARGE")).findFirst().orElseThrow();
            assertThat(tooLarge.getRaw().remaining()).isLessThan(1_000_000);
            assertThat(tooLarge.getReason()).contains("truncated");
            assertThat(dead.stream().filter(d -> d.getReasonCode().equals("INVALID_FIELD")).findFirst().orElseThrow().getReason())
                    .contains("ConvertedDate").contains("2026-13-45");
        }
    }

    private static String lead(String eventId, String leadId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-03T09:00:00Z\",\"leadId\":\"" + leadId
                + "\",\"source\":\"hostile\"}";
    }

    private static HttpResponse<String> events(String base, String body, String authorization) throws Exception {
        return post(base + "/webhooks/events", body.getBytes(StandardCharsets.UTF_8), Map.of("Authorization", authorization,
                "Content-Type", "application/json"));
    }

    private static int salesforce(String base, String notifications) throws Exception {
        String message = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<soapenv:Body><notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
                + "<OrganizationId>00D5g000004XyzAEAS</OrganizationId><ActionId>04k5g0000008OIqAAM</ActionId>"
                + notifications + "</notifications></soapenv:Body></soapenv:Envelope>";
        HttpResponse<String> r = post(base + "/webhooks/salesforce", message.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/xml"));
        assertThat(r.body()).as("Salesforce answer").contains("<Ack>true</Ack>");
        return r.statusCode();
    }

    /** One notification of opportunity 006…h1 (31,000 EUR, close date 2026-11-20) in a stage, changed to it at {@code changed}. */
    private static String opportunity(String notificationId, boolean closed, String stage, String changed) {
        return "<Notification><Id>" + notificationId + "</Id><sObject xsi:type=\"sf:Opportunity\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"
                + "<sf:Id>0065g00000HostAAA</sf:Id><sf:Amount>31000.0</sf:Amount><sf:CloseDate>2026-11-20</sf:CloseDate>"
                + "<sf:CreatedDate>2026-11-01T09:00:00.000Z</sf:CreatedDate><sf:CurrencyIsoCode>EUR</sf:CurrencyIsoCode>"
                + "<sf:IsClosed>" + closed + "</sf:IsClosed><sf:IsWon>" + closed + "</sf:IsWon>"
                + "<sf:LastModifiedDate>" + changed + "</sf:LastModifiedDate><sf:LastStageChangeDate>" + changed + "</sf:LastStageChangeDate>"
                + "<sf:OwnerId>0055g00000Rep7AAA</sf:OwnerId><sf:StageName>" + stage + "</sf:StageName></sObject></Notification>";
    }

    private static String leadNotification(String notificationId, String leadId, String convertedDate) {
        return "<Notification><Id>" + notificationId + "</Id><sObject xsi:type=\"sf:Lead\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">"
                + "<sf:Id>" + leadId + "</sf:Id><sf:CreatedDate>2026-11-04T09:00:00.000Z</sf:CreatedDate>"
                + "<sf:LastModifiedDate>2026-11-04T10:00:00.000Z</sf:LastModifiedDate><sf:LeadSource>Web</sf:LeadSource>"
                + (convertedDate == null ? "" : "<sf:IsConverted>true</sf:IsConverted><sf:ConvertedOpportunityId>0065g00000ConvAAA</sf:ConvertedOpportunityId>"
                + "<sf:ConvertedDate>" + convertedDate + "</sf:ConvertedDate>")
                + "</sObject></Notification>";
    }
}
