package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.time.BusinessCalendar;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;

/** Periods are cut in the business time zone, across daylight-saving changes. */
class BusinessTimeZoneTest {
    @Test
    void theDayClocksGoBackIs25HoursLong() {
        EngineSettings berlin = EngineSettings.defaults().withCalendar(new BusinessCalendar(ZoneId.of("Europe/Berlin")));
        try (EngineHarness h = new EngineHarness(berlin)) {
            // Berlin leaves summer time on 25 Oct 2026 at 03:00 local: that day runs from 24 Oct 22:00 UTC
            // to 25 Oct 23:00 UTC (25 hours). Leads at 22:30 UTC on the 24th and at 22:30 UTC on the 25th are
            // both on 25 Oct local; one at 23:30 UTC on the 25th is already on the 26th.
            h.send(ev("a", "LeadCreated", "2026-10-24T22:30:00Z", "\"leadId\":\"A\""),
                    ev("b", "LeadCreated", "2026-10-25T22:30:00Z", "\"leadId\":\"B\""),
                    ev("c", "LeadCreated", "2026-10-25T23:30:00Z", "\"leadId\":\"C\""),
                    // 31 Oct 23:30 UTC is 1 Nov 00:30 in Berlin: November, and Q4's second month
                    ev("d", "LeadCreated", "2026-10-31T23:30:00Z", "\"leadId\":\"D\""));
            assertThat(h.value("leads_created", "company", null, "day", "2026-10-25")).isEqualTo(2.0);
            assertThat(h.value("leads_created", "company", null, "day", "2026-10-26")).isEqualTo(1.0);
            assertThat(h.value("leads_created", "company", null, "month", "2026-10")).isEqualTo(3.0);
            assertThat(h.value("leads_created", "company", null, "month", "2026-11")).isEqualTo(1.0);
            // ISO week 44 of 2026 runs Mon 26 Oct to Sun 1 Nov: C and D
            assertThat(h.value("leads_created", "company", null, "week", "2026-W44")).isEqualTo(2.0);
        }
    }
}
