package io.kpipeline.connectors.csv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvMappingTest {
    final CsvMapping mapping = CsvMapping.load(resource("hubspot-deals-mapping.yaml"));

    static Path resource(String name) {
        try {
            return Path.of(CsvMappingTest.class.getResource("/csv/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    record Out(List<ObjectNode> events, List<InvalidEventException> rejected) {
    }

    Out map(Map<String, String> row) {
        return map(mapping, row);
    }

    /** A row's events in their contract JSON (each has passed the contract's checks), and its rejections. */
    static Out map(CsvMapping mapping, Map<String, String> row) {
        Translation t = mapping.map(row, row.toString());
        List<ObjectNode> events = new ArrayList<>();
        for (var e : t.events()) {
            events.add((ObjectNode) EventJson.readTree(EventJson.write(e).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new Out(events, t.rejected().stream().map(Translation.Rejected::reason).toList());
    }

    static Map<String, String> row(String... kv) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put(kv[i], kv[i + 1]);
        }
        return row;
    }

    /** The events of a row that must map without rejections. */
    static List<ObjectNode> mapped(CsvMapping mapping, Map<String, String> row) {
        Out out = map(mapping, row);
        assertThat(out.rejected).isEmpty();
        return out.events;
    }

    @Test
    void shouldMakeACreatedAndAClosedDealFromAWonRow() {
        Out out = map(row("Deal ID", "101", "Deal Stage", "closedwon", "Amount", "24000.00", "Currency", "EUR", "Create Date", "2026-11-03 10:05",
                "Close Date", "2026-11-20 16:00", "Deal owner", "Jane Doe", "Contract months", "24"));
        assertThat(out.rejected).isEmpty();
        assertThat(out.events).hasSize(2);
        ObjectNode created = out.events.get(0);
        assertThat(created.get("eventId").asText()).isEqualTo("csv-deal-101-created");
        // 10:05 in Berlin (CET, UTC+1 in November) is 09:05 UTC
        assertThat(created.get("occurredAt").asText()).isEqualTo("2026-11-03T09:05:00Z");
        assertThat(created.get("origin").asText()).isEqualTo("hubspot-export");
        assertThat(created.get("stage").asText()).isEqualTo("Negotiation");
        assertThat(created.get("repId").asText()).isEqualTo("R-7");
        assertThat(created.get("contractMonths").asText()).isEqualTo("24");
        ObjectNode closed = out.events.get(1);
        assertThat(closed.get("type").asText()).isEqualTo("DealClosed");
        assertThat(closed.get("outcome").asText()).isEqualTo("WON");
        assertThat(closed.get("occurredAt").asText()).isEqualTo("2026-11-20T15:00:00Z");
    }

    @Test
    void shouldLeaveOutEventsWhoseConditionFailsAndFieldsWhoseColumnIsEmpty() {
        Out out = map(row("Deal ID", "103", "Deal Stage", "presentationscheduled", "Amount", "12000", "Currency", "EUR",
                "Create Date", "2026-11-05 11:00", "Close Date", "", "Deal owner", "Jane Doe", "Contract months", ""));
        assertThat(out.events).singleElement().satisfies(e -> {
            assertThat(e.get("type").asText()).isEqualTo("DealCreated");
            assertThat(e.has("contractMonths")).isFalse();
        });
    }

    @Test
    void shouldRejectAValueTheMapDoesNotList() {
        Out out = map(row("Deal ID", "105", "Deal Stage", "mystery-stage", "Amount", "3000", "Currency", "EUR", "Create Date", "2026-11-07 11:00",
                "Close Date", "", "Deal owner", "John Roe", "Contract months", ""));
        assertThat(out.events).isEmpty();
        assertThat(out.rejected).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("UNMAPPED_FIELD");
            assertThat(e.getMessage()).contains("Deal Stage").contains("mystery-stage");
        });
    }

    @Test
    void shouldQualifyOrDisqualifyALeadByItsStatus() {
        CsvMapping leads = CsvMapping.load(resource("leads-mapping.yaml"));
        List<ObjectNode> out = new ArrayList<>();
        out.addAll(mapped(leads, row("Lead ID", "00Q1", "Create Date", "02/11/2026 09:00", "Lead Owner", "Jane Doe", "Lead Source", "Web", "Country", "Germany",
                "Lead Status", "Qualified", "Last Modified Date", "03/11/2026 10:00")));
        out.addAll(mapped(leads, row("Lead ID", "00Q2", "Create Date", "02/11/2026 11:30", "Lead Owner", "John Roe", "Lead Source", "Cold Call", "Country", "",
                "Lead Status", "Closed - Not Converted", "Last Modified Date", "04/11/2026 08:00")));
        assertThat(out).extracting(e -> e.get("type").asText() + " " + e.get("leadId").asText() + " " + e.get("occurredAt").asText())
                .containsExactly("LeadCreated 00Q1 2026-11-02T09:00:00Z", "LeadQualified 00Q1 2026-11-03T10:00:00Z",
                        "LeadCreated 00Q2 2026-11-02T11:30:00Z", "LeadDisqualified 00Q2 2026-11-04T08:00:00Z");
        // the time-format is dd/MM/yyyy, read in UTC (no time-zone given); an empty Country leaves region out
        assertThat(out.get(0).get("source").asText()).isEqualTo("inbound-web");
        assertThat(out.get(1).get("level").asText()).isEqualTo("SQL");
        assertThat(out.get(2).has("region")).isFalse();
        assertThat(out.get(3).get("reason").asText()).isEqualTo("Closed - Not Converted");
    }

    @Test
    void shouldLogOnlyDoneActivitiesAsTouchpoints() {
        CsvMapping activities = CsvMapping.load(resource("activities-mapping.yaml"));
        assertThat(activities.separator()).isEqualTo(';');
        List<ObjectNode> out = new ArrayList<>();
        out.addAll(mapped(activities, row("ID", "812", "Type", "Call", "Done", "Done", "Marked as done time", "2026-11-03 09:20:00", "Lead ID", "",
                "Deal ID", "4711", "Assigned to user", "Jane Doe")));
        out.addAll(mapped(activities, row("ID", "813", "Type", "Meeting", "Done", "To do", "Marked as done time", "", "Lead ID", "L-9",
                "Deal ID", "", "Assigned to user", "Jane Doe")));
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.get("touchpointId").asText()).isEqualTo("812");
            assertThat(e.get("dealId").asText()).isEqualTo("4711");
            assertThat(e.has("leadId")).isFalse();
            assertThat(e.get("channel").asText()).isEqualTo("CALL");
            assertThat(e.get("occurredAt").asText()).isEqualTo("2026-11-03T09:20:00Z");
        });
    }

    @Test
    void shouldNameEveryColumnItReads() {
        assertThat(mapping.columns()).containsExactlyInAnyOrder("Deal ID", "Create Date", "Deal Stage", "Amount", "Currency", "Deal owner",
                "Contract months", "Close Date");
    }

    @Test
    void shouldExplainAMappingItCannotUse(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "events:\n  - type: DealCreated\n    occurred-at: \"{Created}\"\n");
        assertThatThrownBy(() -> CsvMapping.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events[0]: 'event-id' is required");
        Files.writeString(bad, "evnts: []\n");
        assertThatThrownBy(() -> CsvMapping.load(bad)).hasMessageContaining("unknown key 'evnts'");
        Files.writeString(bad, "events:\n  - type: X\n    event-id: \"{Id\"\n    occurred-at: \"{T}\"\n");
        assertThatThrownBy(() -> CsvMapping.load(bad)).hasMessageContaining("'{' without '}'");
    }
}
