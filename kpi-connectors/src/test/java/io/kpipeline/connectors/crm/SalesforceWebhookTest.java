package io.kpipeline.connectors.crm;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealOutcome;
import io.kpipeline.avro.DealType;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.QualificationLevel;
import io.kpipeline.avro.TouchpointChannel;
import io.kpipeline.avro.TouchpointDirection;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.connectors.crm.salesforce.SalesforceWebhook;
import io.kpipeline.connectors.webhook.WebhookException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesforceWebhookTest {
    // configured as the 15-character id; Salesforce sends the 18-character form
    final SalesforceWebhook salesforce = new SalesforceWebhook("00D5g000004XyzA", Samples.mapping().salesforce());

    Translation translate(String sample) {
        return salesforce.translate(Samples.post("http://localhost/webhooks/salesforce", Map.of(), Samples.bytes(sample)));
    }

    @Test
    void shouldTurnAWonOpportunitySnapshotIntoCreationValuesAndClose() {
        Translation t = translate("salesforce-opportunity-won.xml");
        List<CrmEvent> e = t.events();
        assertThat(e).extracting(x -> x.getType().name()).containsExactly("DealCreated", "DealUpdated", "DealClosed");
        DealCreated c = (DealCreated) e.get(0).getPayload();
        assertThat(e.get(0).getOccurredAt()).isEqualTo("2026-10-05T09:00:00Z");
        assertThat(c.getDealId()).isEqualTo("0065g00000AbCdEAAV");
        assertThat(c.getAmount()).isEqualTo("48000.0");
        assertThat(c.getRepId()).isEqualTo("R-7");
        assertThat(c.getDealType()).isEqualTo(DealType.NEW_BUSINESS);
        assertThat(((DealClosed) e.get(2).getPayload()).getOutcome()).isEqualTo(DealOutcome.WON);
        assertThat(e.get(2).getOccurredAt()).isEqualTo("2026-11-20T16:00:00Z");
        // the second notification's stage is the org's own: a dead letter with the notification's XML, the first still counts
        assertThat(t.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(1);
            assertThat(r.reason().reasonCode()).isEqualTo("UNMAPPED_STAGE");
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).contains("Our Own Stage");
        });
    }

    @Test
    void shouldGiveRepeatedSnapshotsOfAClosedDealOneClose() {
        // an amount fixed after the win sends a new snapshot (new notification id, later LastModifiedDate): the
        // values update, but the close keeps its id, so the win does not move to the edit's day
        String edited = new String(Samples.bytes("salesforce-opportunity-won.xml"), StandardCharsets.UTF_8)
                .replace("04l5g00000BQxY1AAL", "04l5g00000BQxY9AAL").replace("2026-11-20T16:00:00.000Z", "2026-12-02T08:00:00.000Z");
        List<CrmEvent> first = translate("salesforce-opportunity-won.xml").events();
        List<CrmEvent> second = salesforce.translate(Samples.post("x", Map.of(), edited.getBytes(StandardCharsets.UTF_8))).events();
        assertThat(second.get(0).getEventId()).isEqualTo(first.get(0).getEventId());
        assertThat(second.get(1).getEventId()).isNotEqualTo(first.get(1).getEventId());
        assertThat(second.get(2).getEventId()).isEqualTo(first.get(2).getEventId());
    }

    @Test
    void shouldTurnALeadAndACompletedCallIntoFunnelEvents() {
        List<CrmEvent> e = translate("salesforce-lead-and-task.xml").events();
        assertThat(e).extracting(x -> x.getType().name()).containsExactly("LeadCreated", "LeadAssigned", "LeadQualified", "TouchpointLogged");
        LeadCreated lead = (LeadCreated) e.get(0).getPayload();
        assertThat(lead.getSource()).isEqualTo("inbound-web");
        assertThat(lead.getRegion()).isEqualTo("Germany");
        assertThat(lead.getSegment()).isEqualTo("Retail");
        assertThat(((LeadQualified) e.get(2).getPayload()).getLevel()).isEqualTo(QualificationLevel.SQL);
        TouchpointLogged call = (TouchpointLogged) e.get(3).getPayload();
        assertThat(call.getLeadId()).isEqualTo("00Q5g00000LeAd1EAF");
        assertThat(call.getChannel()).isEqualTo(TouchpointChannel.CALL);
        assertThat(call.getDirection()).isEqualTo(TouchpointDirection.OUTBOUND);
        // 3.5 minutes after the lead was created
        assertThat(e.get(3).getOccurredAt()).isEqualTo("2026-11-02T09:03:30Z");
    }

    @Test
    void shouldRefuseAnotherOrganization() {
        String other = new String(Samples.bytes("salesforce-lead-and-task.xml"), StandardCharsets.UTF_8).replace("00D5g000004XyzAEAS", "00D9z000001AbcDEAS");
        assertThatThrownBy(() -> salesforce.translate(Samples.post("x", Map.of(), other.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WebhookException.class).satisfies(e -> assertThat(((WebhookException) e).status()).isEqualTo(401));
    }

    @Test
    void shouldAnswerWithTheAcknowledgementSalesforceExpects() {
        var reply = salesforce.accepted(translate("salesforce-lead-and-task.xml"));
        assertThat(reply.contentType()).startsWith("text/xml");
        assertThat(reply.body()).contains("<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>");
    }

    @Test
    void shouldRefuseDoctypesAndNonSoapBodies() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> salesforce.translate(Samples.post("x", Map.of(), xxe)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("not XML");
        assertThatThrownBy(() -> salesforce.translate(Samples.post("x", Map.of(), "<a/>".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WebhookException.class).hasMessageContaining("not a Salesforce outbound message");
    }

    @Test
    void shouldMakeAnAccountMarkedChurnedACustomerChurned() {
        Translation t = translate("salesforce-account-churned.xml");
        // the test mapping reads churn from the custom field Churned__c = true; the second Account is not churned
        assertThat(t.events()).singleElement().satisfies(e -> {
            assertThat(((io.kpipeline.avro.CustomerChurned) e.getPayload()).getAccountId()).isEqualTo("0015g00000XyZaBAAV");
            assertThat(e.getOccurredAt()).isEqualTo("2026-11-25T10:00:00Z");
            assertThat(e.getEventId()).isEqualTo("salesforce:account:0015g00000XyZaBAAV:churned:04l5g00000BQxZ1AAL");
        });
        assertThat(t.ignored()).isEqualTo(1);
        // with the shipped defaults (no churn values) an Account says nothing
        SalesforceWebhook defaults = new SalesforceWebhook("00D5g000004XyzA", CrmMapping.defaults().salesforce());
        Translation d = defaults.translate(Samples.post("http://localhost/webhooks/salesforce", Map.of(), Samples.bytes("salesforce-account-churned.xml")));
        assertThat(d.events()).isEmpty();
        assertThat(d.ignored()).isEqualTo(2);
    }
}
