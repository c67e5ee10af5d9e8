package io.kpipeline.schemas.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.CustomerChurned;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealReopened;
import io.kpipeline.avro.DealStageChanged;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.ForecastSubmitted;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadDisqualified;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.SpendRecorded;
import io.kpipeline.avro.TargetSet;
import io.kpipeline.avro.TouchpointLogged;

/**
 * The Kafka record key of an event: the entity it is about, prefixed by its kind so ids of different kinds never
 * collide ({@code lead:L-1}, {@code deal:D-1}, {@code account:A-1}, {@code spend:S-1}, and for forecasts and
 * targets the period and scope a later submission replaces).
 */
public final class EntityKey {
    /** The prefixes of the kinds of entity that read and tell one another. */
    public static final String LEAD = "lead:", DEAL = "deal:", ACCOUNT = "account:";

    private EntityKey() {
    }

    public static String of(CrmEvent event) {
        Object p = event.getPayload();
        if (p instanceof LeadCreated x) return LEAD + x.getLeadId();
        if (p instanceof LeadAssigned x) return LEAD + x.getLeadId();
        if (p instanceof LeadQualified x) return LEAD + x.getLeadId();
        if (p instanceof LeadDisqualified x) return LEAD + x.getLeadId();
        if (p instanceof LeadConverted x) return LEAD + x.getLeadId();
        if (p instanceof TouchpointLogged x) {
            return x.getLeadId() != null ? LEAD + x.getLeadId() : DEAL + x.getDealId();
        }
        if (p instanceof DealCreated x) return DEAL + x.getDealId();
        if (p instanceof DealUpdated x) return DEAL + x.getDealId();
        if (p instanceof DealStageChanged x) return DEAL + x.getDealId();
        if (p instanceof DealClosed x) return DEAL + x.getDealId();
        if (p instanceof DealReopened x) return DEAL + x.getDealId();
        if (p instanceof CustomerChurned x) return ACCOUNT + x.getAccountId();
        if (p instanceof SpendRecorded x) return "spend:" + x.getSpendId();
        if (p instanceof ForecastSubmitted x) return "forecast:" + x.getPeriod() + "|" + scope(x.getRepId(), x.getTeamId());
        if (p instanceof TargetSet x) return "target:" + x.getPeriod() + "|" + x.getMetric() + "|" + scope(x.getRepId(), x.getTeamId());
        throw new IllegalArgumentException("no entity for " + event.getType());
    }

    /** rep, else team, else company: the scope the catalogue gives forecasts and targets. */
    public static String scope(String repId, String teamId) {
        if (repId != null) return "rep=" + repId;
        if (teamId != null) return "team=" + teamId;
        return "company";
    }
}
