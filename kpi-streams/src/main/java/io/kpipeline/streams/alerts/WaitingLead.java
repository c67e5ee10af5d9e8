package io.kpipeline.streams.alerts;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

/**
 * What the alerting needs to know of a lead: who it belongs to, when it was created (0 while only later events
 * are known), when it was first contacted or disqualified (0 if not), and which alerts fired for it.
 */
record WaitingLead(String leadId, long createdAt, String repId, String teamId, String source, String segment,
                   long contactedAt, long disqualifiedAt, boolean breachedFired, boolean escalatedFired, boolean scheduled) {

    static WaitingLead unknown(String leadId) {
        return new WaitingLead(leadId, 0, null, null, null, null, 0, 0, false, false, false);
    }

    boolean closed() {
        return contactedAt != 0 || disqualifiedAt != 0;
    }

    WaitingLead withRep(String rep, String team) {
        return new WaitingLead(leadId, createdAt, rep, team == null ? teamId : team, source, segment, contactedAt, disqualifiedAt,
                breachedFired, escalatedFired, scheduled);
    }

    WaitingLead created(long at, String rep, String team, String src, String seg) {
        return new WaitingLead(leadId, at, repId != null && createdAt != 0 ? repId : rep, team, src, seg, contactedAt, disqualifiedAt,
                breachedFired, escalatedFired, scheduled);
    }

    WaitingLead contacted(long at) {
        return new WaitingLead(leadId, createdAt, repId, teamId, source, segment, contactedAt == 0 ? at : Math.min(contactedAt, at),
                disqualifiedAt, breachedFired, escalatedFired, scheduled);
    }

    WaitingLead disqualified(long at) {
        return new WaitingLead(leadId, createdAt, repId, teamId, source, segment, contactedAt, at, breachedFired, escalatedFired, scheduled);
    }

    WaitingLead fired(String rule) {
        return new WaitingLead(leadId, createdAt, repId, teamId, source, segment, contactedAt, disqualifiedAt,
                breachedFired || rule.equals(SlaAlertProcessor.BREACHED), escalatedFired || rule.equals(SlaAlertProcessor.ESCALATED), scheduled);
    }

    WaitingLead withScheduled() {
        return new WaitingLead(leadId, createdAt, repId, teamId, source, segment, contactedAt, disqualifiedAt, breachedFired, escalatedFired, true);
    }

    byte[] toBytes() {
        return new ByteWriter(96).writeString(leadId).writeLong(createdAt).writeString(repId).writeString(teamId).writeString(source)
                .writeString(segment).writeLong(contactedAt).writeLong(disqualifiedAt).writeBoolean(breachedFired)
                .writeBoolean(escalatedFired).writeBoolean(scheduled).toByteArray();
    }

    static WaitingLead fromBytes(byte[] b) {
        ByteReader r = new ByteReader(b);
        return new WaitingLead(r.readString(), r.readLong(), r.readString(), r.readString(), r.readString(), r.readString(),
                r.readLong(), r.readLong(), r.readBoolean(), r.readBoolean(), r.readBoolean());
    }
}
