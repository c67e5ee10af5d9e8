package io.kpipeline.connectors.crm;

import io.kpipeline.avro.CustomerChurned;
import io.kpipeline.connectors.crm.hubspot.HubSpotWebhook;
import io.kpipeline.schemas.part.EventPart;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HubSpot's calls, emails and meetings as touchpoint parts, and a company's churn stage, from documented payloads. */
class HubSpotEngagementsTest {
    final HubSpotWebhook hubspot = new HubSpotWebhook(null, Samples.mapping().hubspot());

    Translation translate(String json) {
        return hubspot.translate(Samples.post("https://kpi.example.com/webhooks/hubspot", Map.of(), json.getBytes(StandardCharsets.UTF_8)));
    }

    Translation sample(String name) {
        return translate(new String(Samples.bytes(name), StandardCharsets.UTF_8));
    }

    @Test
    void shouldMakeOnePartOfEachDeliveryOfALoggedCall() {
        EventPart created = sample("hubspot-call-creation.json").parts().get(0);
        // every part of call 7001 has one key, whatever delivery it came in
        assertThat(created.key()).isEqualTo("hubspot:62515:0-48:7001");
        assertThat(created.kind()).isEqualTo(EventPart.Kind.TOUCHPOINT);
        assertThat(created.action()).isEqualTo("created");
        assertThat(created.values()).containsEntry("channel", "CALL").containsEntry("touchpointId", "hubspot:call:7001")
                .containsEntry("requires", "occurredAt,direction");

        List<EventPart> properties = sample("hubspot-call-properties.json").parts();
        assertThat(properties).extracting(EventPart::key).containsOnly("hubspot:62515:0-48:7001");
        assertThat(properties).extracting(EventPart::values).containsExactly(
                // the call's own time, not the delivery's (09:03:05)
                Map.of("occurredAt", "2026-11-02T09:03:00Z"),
                Map.of("direction", "OUTBOUND"),
                // HubSpot's default outcome id of "Connected": a contact, neither positive nor negative
                Map.of("outcome", "NONE"),
                // owner 52550153 is R-7 of T-emea in the test mapping
                Map.of("repId", "R-7", "teamId", "T-emea"));
        assertThat(properties).extracting(EventPart::partId).doesNotHaveDuplicates();

        EventPart link = sample("hubspot-call-association.json").parts().get(0);
        assertThat(link.key()).isEqualTo("hubspot:62515:0-48:7001");
        assertThat(link.action()).isEqualTo("linked");
        assertThat(link.values()).isEqualTo(Map.of("leadId", "5101"));
        assertThat(link.at()).isEqualTo(Instant.parse("2026-11-02T09:03:20Z"));
    }

    @Test
    void shouldGiveARetriedDeliveryTheSamePartIds() {
        // HubSpot retries with the same eventId and a higher attemptNumber
        String first = new String(Samples.bytes("hubspot-call-properties.json"), StandardCharsets.UTF_8);
        String retry = first.replace("\"attemptNumber\": 0", "\"attemptNumber\": 1");
        assertThat(translate(retry).parts()).extracting(EventPart::partId)
                .containsExactlyElementsOf(translate(first).parts().stream().map(EventPart::partId).toList());
    }

    @Test
    void shouldReadAnAssociationFromEitherSideAndARemoval() {
        String contactToEmail = """
                [{"eventId":9,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.associationChange",
                  "associationType":"CONTACT_TO_EMAIL","fromObjectId":5101,"fromObjectTypeId":"0-1","toObjectId":8001,
                  "toObjectTypeId":"0-49","associationRemoved":true}]""";
        EventPart p = translate(contactToEmail).parts().get(0);
        assertThat(p.key()).isEqualTo("hubspot:62515:0-49:8001");
        assertThat(p.action()).isEqualTo("unlinked");
        assertThat(p.values()).isEqualTo(Map.of("leadId", "5101"));
        // by name alone (no type ids): a meeting on a deal
        String byName = """
                [{"eventId":10,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.associationChange",
                  "associationType":"MEETING_EVENT_TO_DEAL","fromObjectId":9001,"toObjectId":77,"associationRemoved":false}]""";
        EventPart m = translate(byName).parts().get(0);
        assertThat(m.key()).isEqualTo("hubspot:62515:0-47:9001");
        assertThat(m.values()).isEqualTo(Map.of("dealId", "77"));
        // a call on a company says nothing of a touchpoint
        String company = """
                [{"eventId":11,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.associationChange",
                  "associationType":"CALL_TO_COMPANY","fromObjectId":7001,"fromObjectTypeId":"0-48","toObjectId":3,"toObjectTypeId":"0-2"}]""";
        Translation t = translate(company);
        assertThat(t.parts()).isEmpty();
        assertThat(t.ignored()).isEqualTo(1);
    }

    @Test
    void shouldNeedNoDirectionForAMeetingAndMapItsOutcome() {
        String meeting = """
                [{"eventId":20,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.creation","objectId":9001,"objectTypeId":"0-47"},
                 {"eventId":21,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.propertyChange","objectId":9001,
                  "objectTypeId":"0-47","propertyName":"hs_meeting_outcome","propertyValue":"CANCELED"}]""";
        List<EventPart> parts = translate(meeting).parts();
        assertThat(parts.get(0).values()).containsEntry("channel", "MEETING").containsEntry("requires", "occurredAt");
        assertThat(parts.get(1).values()).isEqualTo(Map.of("outcome", "MEETING_DECLINED"));
    }

    @Test
    void shouldDeadLetterWhatItCannotMapNamingIt() {
        String bad = """
                [{"eventId":30,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.propertyChange","objectId":7001,
                  "objectTypeId":"0-48","propertyName":"hs_call_direction","propertyValue":"SIDEWAYS"},
                 {"eventId":31,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.propertyChange","objectId":7001,
                  "objectTypeId":"0-48","propertyName":"hs_call_body","propertyValue":"notes"},
                 {"eventId":32,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.propertyChange","objectId":7001,
                  "objectTypeId":"0-48","propertyName":"hs_timestamp","propertyValue":"yesterday"},
                 {"eventId":33,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.creation","objectId":1,"objectTypeId":"0-5"},
                 {"eventId":34,"portalId":62515,"occurredAt":1793610300000,"subscriptionType":"object.creation","objectId":7002,"objectTypeId":"0-48"}]""";
        Translation t = translate(bad);
        assertThat(t.rejected()).extracting(r -> r.index() + " " + r.reason().reasonCode()).containsExactly(
                "0 UNMAPPED_FIELD", "1 UNMAPPED_FIELD", "2 INVALID_FIELD", "3 UNMAPPED_EVENT");
        assertThat(t.rejected().get(0).reason().getMessage()).contains("SIDEWAYS").contains("directions");
        assertThat(t.rejected().get(1).reason().getMessage()).contains("hs_call_body");
        // the valid item beside them is kept
        assertThat(t.parts()).extracting(EventPart::key).containsExactly("hubspot:62515:0-48:7002");
    }

    @Test
    void shouldMakeACompanysMoveToAChurnStageACustomerChurned() {
        String legacy = """
                [{"eventId":40,"portalId":62515,"occurredAt":1794470400000,"subscriptionType":"company.propertyChange","objectId":3001,
                  "propertyName":"lifecyclestage","propertyValue":"former_customer"},
                 {"eventId":41,"portalId":62515,"occurredAt":1794470400000,"subscriptionType":"object.propertyChange","objectId":3002,
                  "objectTypeId":"0-2","propertyName":"lifecyclestage","propertyValue":"customer"},
                 {"eventId":42,"portalId":62515,"occurredAt":1794470400000,"subscriptionType":"object.propertyChange","objectId":3003,
                  "objectTypeId":"0-2","propertyName":"lifecyclestage","propertyValue":"former_customer"}]""";
        Translation t = translate(legacy);
        // the test mapping lists former_customer as the churn value of lifecyclestage; 'customer' is not a churn
        assertThat(t.events()).extracting(e -> ((CustomerChurned) e.getPayload()).getAccountId()).containsExactly("3001", "3003");
        assertThat(t.events().get(0).getOccurredAt()).isEqualTo(Instant.parse("2026-11-12T08:00:00Z"));
        assertThat(t.ignored()).isEqualTo(1);
    }
}
