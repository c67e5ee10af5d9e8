package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.SpendRecorded;
import io.kpipeline.streams.aggregate.DeltaBuffer;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.contrib.AccountContributions;
import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.contrib.ContributionCodec;
import io.kpipeline.streams.contrib.DealContributions;
import io.kpipeline.streams.contrib.LeadContributions;
import io.kpipeline.streams.contrib.PlanContributions;
import io.kpipeline.streams.contrib.SpendContributions;
import io.kpipeline.streams.entity.AccountState;
import io.kpipeline.streams.entity.DealState;
import io.kpipeline.streams.entity.EntityRepository;
import io.kpipeline.streams.facts.Counterparts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an entity contributes to the aggregates, kept up to date: after each change to the entity or its facts, its
 * contributions are folded again and only the difference from what it contributed before goes to the deltas.
 */
final class EntityContributions {
    private final EntityRepository entities;
    private final Counterparts counterparts;
    private final DeltaBuffer deltas;
    private final EngineSettings settings;

    EntityContributions(EntityRepository entities, Counterparts counterparts, DeltaBuffer deltas, EngineSettings settings) {
        this.entities = entities;
        this.counterparts = counterparts;
        this.deltas = deltas;
        this.settings = settings;
    }

    /** Recomputes an entity's contributions and applies the difference from what it contributed before. */
    void refresh(String entity) {
        List<Contribution> after = contributionsOf(entity);
        byte[] stored = entities.contributions(entity);
        ContributionCodec.Encoded encodedAfter = after.isEmpty() ? null : ContributionCodec.encodeWithOffsets(after);
        byte[] encoded = encodedAfter == null ? null : encodedAfter.bytes();
        if (java.util.Arrays.equals(stored, encoded)) {
            return; // the usual case for the entities linked to the one that changed: nothing to diff
        }
        // The lists come out of the same fold in the same order, so a change is mostly a run in the middle: the
        // equal runs at either end are found on the bytes, and only the stored middle is decoded (a lead with dozens
        // of touchpoints changes one or two).
        ContributionCodec.Change change = encodedAfter == null ? null : ContributionCodec.change(stored, encodedAfter);
        List<Contribution> added, removed;
        if (change != null) {
            added = after.subList(change.from(), change.to());
            removed = change.before();
        } else {
            List<Contribution> before = ContributionCodec.decode(stored);
            int from = 0, endAfter = after.size(), endBefore = before.size();
            while (from < endAfter && from < endBefore && after.get(from).equals(before.get(from))) {
                from++;
            }
            while (endAfter > from && endBefore > from && after.get(endAfter - 1).equals(before.get(endBefore - 1))) {
                endAfter--;
                endBefore--;
            }
            added = after.subList(from, endAfter);
            removed = before.subList(from, endBefore);
        }
        Map<Contribution, Integer> diff = new HashMap<>();
        for (Contribution c : added) {
            diff.merge(c, 1, Integer::sum);
        }
        for (Contribution c : removed) {
            diff.merge(c, -1, Integer::sum);
        }
        boolean changed = false;
        for (Map.Entry<Contribution, Integer> e : diff.entrySet()) {
            int n = e.getValue();
            for (int i = 0; i < Math.abs(n); i++) {
                deltas.add(Integer.signum(n), e.getKey());
                changed = true;
            }
        }
        if (changed) {
            entities.setContributions(entity, encoded);
        }
    }

    private List<Contribution> contributionsOf(String entity) {
        int colon = entity.indexOf(':');
        String kind = entity.substring(0, colon), id = entity.substring(colon + 1);
        switch (kind) {
            case "lead":
                return LeadContributions.of(entities.lead(id), counterparts.dealsOf(id), entities.leadTouches(entity).meeting(), settings);
            case "deal": {
                DealState deal = entities.deal(id);
                return deal == null ? List.of() : DealContributions.of(deal, counterparts.sourceLead(deal));
            }
            case "account":
                return AccountContributions.of(AccountState.fold(id, entities.events(entity), counterparts.winsOf(id)), settings.calendar());
            case "forecast":
            case "target":
                return PlanContributions.of(entities.events(entity), settings.fx(), settings.calendar());
            case "spend": {
                List<CrmEvent> events = entities.events(entity);
                SpendRecorded s = (SpendRecorded) events.get(events.size() - 1).getPayload();
                CrmEvent latest = events.get(events.size() - 1);
                BigDecimal amount = settings.fx().convert(new BigDecimal(s.getAmount()), s.getCurrency(),
                        settings.calendar().day(latest.getOccurredAt()));
                return SpendContributions.of(s.getCategory(), amount, s.getPeriodStart(), s.getPeriodEnd(),
                        s.getChannel(), s.getTeamId(), settings.calendar());
            }
            default:
                return new ArrayList<>();
        }
    }
}
