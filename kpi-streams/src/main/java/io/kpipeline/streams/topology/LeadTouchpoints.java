package io.kpipeline.streams.topology;

import io.kpipeline.avro.TouchpointOutcome;
import io.kpipeline.streams.aggregate.DeltaBuffer;
import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.contrib.LeadContributions;
import io.kpipeline.streams.entity.EntityRepository;
import io.kpipeline.streams.entity.FirstMeeting;
import io.kpipeline.streams.entity.LeadState;
import io.kpipeline.streams.entity.LeadTouches;
import io.kpipeline.streams.entity.Touch;
import io.kpipeline.streams.entity.TouchLog;
import io.kpipeline.streams.entity.TouchSummary;
import io.kpipeline.streams.facts.Counterparts;
import io.kpipeline.streams.facts.DealFacts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static io.kpipeline.schemas.event.EntityKey.LEAD;

/**
 * Keeps a lead's touchpoint contributions, summary and first meeting current as its touchpoints, its other events and
 * its deals' facts arrive, so that the cost of a touchpoint does not grow with the lead's history: a new touchpoint
 * adds its own contributions and updates the summary and the first meeting from what is kept ({@link LeadTouches}).
 * The lead's other touchpoints are read only when the change needs them: a touchpoint logged again (its first time or
 * fields change), a meeting earlier than others already logged, a deal's touchpoints changed, or a new basis (the
 * lead created or reassigned, a deal's product changed), which recounts the touchpoints it counts under other keys.
 */
final class LeadTouchpoints {
    /** the first meeting cannot be known from what is kept: read every touchpoint */
    private static final FirstMeeting UNKNOWN = new FirstMeeting(Instant.MIN, "", -1);
    private final EntityRepository entities;
    private final Counterparts counterparts;
    private final DeltaBuffer deltas;

    LeadTouchpoints(EntityRepository entities, Counterparts counterparts, DeltaBuffer deltas) {
        this.entities = entities;
        this.counterparts = counterparts;
        this.deltas = deltas;
    }

    /**
     * Brings the lead's touchpoints up to date after {@code change} (null: after another of its events or facts;
     * {@code dealTouchesChanged}: a deal told it different touchpoints).
     */
    void update(String entity, TouchLog.Change change, boolean dealTouchesChanged) {
        String leadId = entity.substring(LEAD.length());
        LeadTouches kept = entities.leadTouches(entity);
        List<DealFacts> deals = counterparts.dealsOf(leadId);
        TouchSummary summary = kept.summary();
        FirstMeeting meeting = kept.meeting();
        boolean readAll = dealTouchesChanged;
        if (change != null && change.before() == null) {
            if (!readAll) {
                meeting = nextMeeting(entity, summary, meeting, change.after(), deals);
                readAll = meeting == UNKNOWN;
            }
            summary = summary.plus(change.after());
        } else if (change != null) {
            readAll = true; // logged again: its first time may have moved, its outbound or outcome changed
        }
        List<Touch> all = null;
        if (readAll) {
            all = entities.touches().all(entity);
            summary = TouchSummary.of(all);
            meeting = LeadContributions.firstMeeting(all, deals);
        }
        entities.setLeadTouches(entity, new LeadTouches(summary, meeting, kept.basis()));
        LeadState lead = entities.lead(leadId);
        LeadTouches.Basis basis = LeadContributions.basis(lead, deals);
        if (!Objects.equals(basis, kept.basis())) {
            // the touchpoints the new basis counts under other keys, again, each one's old version under the old basis
            // (a deal's new product moves only the touchpoints on that deal)
            String changed = change == null ? null : change.after().id();
            for (Touch t : all != null ? all : entities.touches().all(entity)) {
                Touch old = t.id().equals(changed) ? change.before() : t;
                if (old == t && kept.basis() != null && basis != null && kept.basis().keysOf(t).equals(basis.keysOf(t))) {
                    continue;
                }
                if (kept.basis() != null && old != null) {
                    add(-1, old, kept.basis());
                }
                if (basis != null) {
                    add(1, t, basis);
                }
            }
            entities.setLeadTouches(entity, new LeadTouches(summary, meeting, basis));
        } else if (basis != null && change != null) {
            if (change.before() != null) {
                add(-1, change.before(), basis);
            }
            add(1, change.after(), basis);
        }
    }

    /**
     * The first meeting once a new touchpoint {@code t} joins those summarised in {@code before}, from what is kept
     * where it can be; {@link #UNKNOWN} when only reading every touchpoint can tell.
     */
    private FirstMeeting nextMeeting(String entity, TouchSummary before, FirstMeeting meeting, Touch t, List<DealFacts> deals) {
        List<Touch> dealOnly = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (DealFacts d : deals) {
            for (Touch dt : d.touches()) {
                if (dt.id().equals(t.id())) {
                    return UNKNOWN; // the lead's copy replaces the deal's among the touchpoints counted
                }
                if (ids.add(dt.id())) {
                    dealOnly.add(dt);
                }
            }
        }
        if (meeting != null && !meeting.isAfter(t)) {
            return meeting;
        }
        if (t.outcome() != TouchpointOutcome.MEETING_BOOKED) {
            return meeting == null ? null : new FirstMeeting(meeting.at(), meeting.eventId(), meeting.index() + 1);
        }
        if (!before.isAfterAll(t)) {
            return UNKNOWN; // a new first meeting among touchpoints logged before: its place needs them all
        }
        long index = before.count() + 1;
        for (Touch dt : dealOnly) {
            if (Touch.ORDER.compare(dt, t) < 0 && entities.touches().touch(entity, dt.id()) == null) {
                index++;
            }
        }
        return new FirstMeeting(t.at(), t.eventId(), index);
    }

    private void add(int sign, Touch t, LeadTouches.Basis basis) {
        List<Contribution> out = new ArrayList<>(2);
        LeadContributions.touch(t, basis, out);
        for (Contribution c : out) {
            deltas.add(sign, c);
        }
    }
}
