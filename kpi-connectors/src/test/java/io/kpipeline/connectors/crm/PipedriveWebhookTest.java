package io.kpipeline.connectors.crm;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealOutcome;
import io.kpipeline.avro.DealStageChanged;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.TouchpointChannel;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.connectors.crm.pipedrive.PipedriveWebhook;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipedriveWebhookTest {
    final PipedriveWebhook pipedrive = new PipedriveWebhook("pipedrive", "s3cret", Samples.mapping().pipedrive());

    static WebhookRequest post(String sample, String user, String password) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Samples.post("http://localhost/webhooks/pipedrive", Map.of("Authorization", basic), Samples.bytes(sample));
    }

    List<CrmEvent> events(String sample) {
        Translation t = pipedrive.translate(post(sample, "pipedrive", "s3cret"));
        assertThat(t.rejected()).isEmpty();
        return t.events();
    }

    @Test
    void shouldCreateADealWithItsMappedStageOwnerAndAmount() {
        List<CrmEvent> e = events("pipedrive-deal-created.json");
        assertThat(e).hasSize(1);
        DealCreated d = (DealCreated) e.get(0).getPayload();
        // stage_id 1 is "Qualified" in Pipedrive's default pipeline; owner 18487521 is R-7 of T-emea in the test mapping
        assertThat(d.getDealId()).isEqualTo("4711");
        assertThat(d.getStage()).isEqualTo("Qualified");
        assertThat(d.getAmount()).isEqualTo("12500");
        assertThat(d.getCurrency()).isEqualTo("EUR");
        assertThat(d.getAccountId()).isEqualTo("2");
        assertThat(d.getRepId()).isEqualTo("R-7");
        assertThat(d.getTeamId()).isEqualTo("T-emea");
        assertThat(d.getExpectedCloseDate()).hasToString("2026-12-15");
        assertThat(e.get(0).getOccurredAt()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(e.get(0).getEventId()).isEqualTo("pipedrive:0d7c1e4e-2b1f-4a7e-9a51-1f3f1c1b2a01:created");
    }

    @Test
    void shouldTurnEachChangedFieldInPreviousIntoItsOwnEvent() {
        // previous = {stage_id: 1, value: 12500}: an edit of the amount and a move from Qualified to Demo Scheduled
        List<CrmEvent> e = events("pipedrive-deal-stage-and-value.json");
        assertThat(e).extracting(x -> x.getType().name()).containsExactly("DealUpdated", "DealStageChanged");
        assertThat(((DealUpdated) e.get(0).getPayload()).getAmount()).isEqualTo("15000");
        DealStageChanged s = (DealStageChanged) e.get(1).getPayload();
        assertThat(s.getFromStage()).isEqualTo("Qualified");
        assertThat(s.getToStage()).isEqualTo("Demo Scheduled");
        assertThat(e.get(1).getOccurredAt()).isEqualTo("2026-11-09T15:30:00Z");
    }

    @Test
    void shouldCloseAWonDealAtItsWonTime() {
        List<CrmEvent> e = events("pipedrive-deal-won.json");
        assertThat(e).hasSize(1);
        assertThat(((DealClosed) e.get(0).getPayload()).getOutcome()).isEqualTo(DealOutcome.WON);
        assertThat(e.get(0).getOccurredAt()).isEqualTo("2026-11-20T16:00:00Z");
    }

    @Test
    void shouldReopenADealWhoseStatusReturnsToOpen() {
        String reopened = new String(Samples.bytes("pipedrive-deal-won.json"), StandardCharsets.UTF_8)
                .replace("\"status\": \"won\"", "\"status\": \"open\"").replace("\"previous\": {\"status\": \"open\"", "\"previous\": {\"status\": \"won\"");
        Translation t = pipedrive.translate(Samples.post("http://localhost/webhooks/pipedrive", post("pipedrive-deal-won.json", "pipedrive", "s3cret").headers(),
                reopened.getBytes(StandardCharsets.UTF_8)));
        assertThat(t.events()).extracting(x -> x.getType().name()).containsExactly("DealReopened");
    }

    @Test
    void shouldLogADoneCallAsATouchpointOnItsDeal() {
        List<CrmEvent> e = events("pipedrive-activity-done.json");
        TouchpointLogged tp = (TouchpointLogged) e.get(0).getPayload();
        assertThat(tp.getTouchpointId()).isEqualTo("812");
        assertThat(tp.getDealId()).isEqualTo("4711");
        assertThat(tp.getChannel()).isEqualTo(TouchpointChannel.CALL);
        assertThat(tp.getRepId()).isEqualTo("R-7");
        assertThat(e.get(0).getOccurredAt()).isEqualTo("2026-11-03T09:20:00Z");
    }

    @Test
    void shouldCreateALeadWithItsMappedSource() {
        LeadCreated lead = (LeadCreated) events("pipedrive-lead-created.json").get(0).getPayload();
        assertThat(lead.getLeadId()).isEqualTo("adf21080-0e10-11eb-879b-05d71fb426ec");
        assertThat(lead.getSource()).isEqualTo("inbound-web");
        assertThat(lead.getRepId()).isEqualTo("R-7");
    }

    @Test
    void shouldSendAnUnmappedStageToTheDeadLetterTopic() {
        String unknown = new String(Samples.bytes("pipedrive-deal-created.json"), StandardCharsets.UTF_8).replace("\"stage_id\": 1", "\"stage_id\": 42");
        Translation t = pipedrive.translate(Samples.post("x", Map.of(), unknown.getBytes(StandardCharsets.UTF_8)));
        assertThat(t.events()).isEmpty();
        assertThat(t.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason().reasonCode()).isEqualTo("UNMAPPED_STAGE");
            assertThat(r.reason().getMessage()).contains("stage_id 42");
        });
    }

    @Test
    void shouldRequireTheWebhooksBasicAuth() {
        pipedrive.authenticate(post("pipedrive-deal-created.json", "pipedrive", "s3cret"));
        assertThatThrownBy(() -> pipedrive.authenticate(post("pipedrive-deal-created.json", "pipedrive", "wrong")))
                .isInstanceOf(WebhookException.class).hasMessageContaining("wrong user or password");
        assertThatThrownBy(() -> pipedrive.authenticate(Samples.post("x", Map.of(), new byte[0])))
                .isInstanceOf(WebhookException.class).hasMessageContaining("missing");
    }

    @Test
    void shouldRefuseV1Payloads() {
        byte[] v1 = "{\"v\":1,\"meta\":{\"action\":\"updated\",\"object\":\"deal\",\"id\":1},\"current\":{},\"previous\":{}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> pipedrive.translate(Samples.post("x", Map.of(), v1)))
                .isInstanceOf(WebhookException.class).hasMessageContaining("version 2.0");
    }
}
