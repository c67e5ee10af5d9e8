package io.kpipeline.streams.facts;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.streams.entity.AccountState;
import io.kpipeline.streams.entity.DealKeys;
import io.kpipeline.streams.entity.DealState;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.EntityFacts;
import io.kpipeline.streams.entity.EntityRepository;
import io.kpipeline.streams.entity.LeadState;
import io.kpipeline.streams.entity.Touch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.kpipeline.schemas.event.EntityKey.LEAD;
import static io.kpipeline.schemas.event.EntityKey.DEAL;
import static io.kpipeline.schemas.event.EntityKey.ACCOUNT;

/**
 * Which entities read one another, and what each tells the others. A lead and a deal are linked when the deal's
 * creation names the lead or the lead's conversion names the deal; linked, each tells the other its facts. A won
 * deal tells its account (its own, else the one its source lead was converted into). Every entity reads only its
 * own events and the latest facts it received, so its contributions are the same on whichever task it lives.
 */
public final class Counterparts {
    private final EntityRepository entities;

    public Counterparts(EntityRepository entities) {
        this.entities = entities;
    }

    /** What the lead's existing deals told it, in deal id order (decoded once per input). */
    public List<DealFacts> dealsOf(String leadId) {
        return entities.memo("deals|" + leadId, () -> decodeDealsOf(leadId));
    }

    private List<DealFacts> decodeDealsOf(String leadId) {
        List<DealFacts> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entities.facts(LEAD + leadId).received.entrySet()) {
            if (e.getKey().startsWith(DEAL)) {
                out.add(FactsCodec.deal(e.getValue()));
            }
        }
        return out;
    }

    /** What the deal's source lead told it, or null when that lead does not exist (or the deal has none). */
    public LeadFacts sourceLead(DealState deal) {
        return sourceLead(deal, deal.leadId() == null ? leadsOf(deal.dealId()) : null);
    }

    /** As {@link #sourceLead(DealState)}, with the deal's leads when it names none itself. */
    private LeadFacts sourceLead(DealState deal, TreeSet<String> leads) {
        String leadId = deal.leadId();
        if (leadId == null) {
            leadId = leads.isEmpty() ? null : leads.first();
        }
        byte[] bytes = leadId == null ? null : entities.facts(DEAL + deal.dealId()).received.get(LEAD + leadId);
        LeadFacts lead = bytes == null ? null : FactsCodec.lead(bytes);
        return lead == null || !lead.exists() ? null : lead;
    }

    /** The won deals whose account this is, as they told it. */
    public List<AccountState.Win> winsOf(String accountId) {
        List<AccountState.Win> wins = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entities.facts(ACCOUNT + accountId).received.entrySet()) {
            if (e.getKey().startsWith(DEAL)) {
                WinFacts w = FactsCodec.win(e.getValue());
                wins.add(new AccountState.Win(w.dealId(), w.closedAt(), w.amount(), w.keys(), w.leadCreatedAt(), w.leadKeys()));
            }
        }
        return wins;
    }

    /** The deal's leads: those its creation events name, and those converted into it. */
    private TreeSet<String> leadsOf(String dealId) {
        TreeSet<String> leads = new TreeSet<>();
        for (CrmEvent e : entities.events(DEAL + dealId)) {
            if (e.getPayload() instanceof DealCreated c && c.getLeadId() != null) {
                leads.add(c.getLeadId());
            }
        }
        for (Map.Entry<String, byte[]> e : entities.facts(DEAL + dealId).received.entrySet()) {
            if (e.getKey().startsWith(LEAD) && FactsCodec.lead(e.getValue()).convertedInto()) {
                leads.add(e.getKey().substring(LEAD.length()));
            }
        }
        return leads;
    }

    /** True when two versions of a deal's facts (either null: none) tell different touchpoints. */
    public static boolean dealTouchesDiffer(byte[] before, byte[] after) {
        List<Touch> a = before == null ? List.of() : FactsCodec.deal(before).touches();
        List<Touch> b = after == null ? List.of() : FactsCodec.deal(after).touches();
        return !a.equals(b);
    }

    /** What the entity tells each entity that reads it, by the reader's entity key (entities of other kinds: none). */
    public Map<String, byte[]> toSend(String entity) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (entity.startsWith(LEAD)) {
            leadFacts(entity.substring(LEAD.length()), out);
        } else if (entity.startsWith(DEAL)) {
            dealFacts(entity.substring(DEAL.length()), out);
        }
        return out;
    }

    private void leadFacts(String leadId, Map<String, byte[]> out) {
        Set<String> converted = new HashSet<>();
        for (CrmEvent e : entities.events(LEAD + leadId)) {
            if (e.getPayload() instanceof LeadConverted c) {
                converted.add(c.getDealId());
            }
        }
        EntityFacts known = entities.facts(LEAD + leadId);
        TreeSet<String> deals = new TreeSet<>(converted);
        for (String source : known.received.keySet()) {
            if (source.startsWith(DEAL)) {
                deals.add(source.substring(DEAL.length()));
            }
        }
        LeadState lead = entities.lead(leadId);
        for (String dealId : deals) {
            boolean into = converted.contains(dealId);
            if (lead == null && !into) {
                continue; // nothing to tell: as if it had not spoken
            }
            byte[] dealBytes = known.received.get(DEAL + dealId);
            // a lead not created yet still makes itself one of the deal's leads by its conversion
            LeadFacts f = lead == null ? new LeadFacts(false, null, DimKeys.NONE, null, null, true, 0)
                    : new LeadFacts(true, lead.createdAt(), lead.keys(), lead.firstContactAt(), lead.convertedAccount(), into,
                    callsNotOn(lead, dealBytes == null ? null : FactsCodec.deal(dealBytes)));
            out.put(DEAL + dealId, FactsCodec.encode(f));
        }
    }

    /**
     * The lead's CALL touchpoints that the deal does not have itself (by touchpoint id): its calls less those of the
     * deal's touchpoints the lead also has as calls, so the cost is the deal's touchpoints, not the lead's.
     */
    private long callsNotOn(LeadState lead, DealFacts deal) {
        long n = lead.touches().calls();
        if (deal != null) {
            Set<String> onDeal = new HashSet<>();
            for (Touch t : deal.touches()) {
                if (onDeal.add(t.id())) {
                    Touch mine = entities.touches().touch(LEAD + lead.leadId(), t.id());
                    if (mine != null && mine.channel().equals("CALL")) {
                        n--;
                    }
                }
            }
        }
        return n;
    }

    private void dealFacts(String dealId, Map<String, byte[]> out) {
        DealState deal = entities.deal(dealId);
        if (deal == null) {
            return;
        }
        byte[] facts = FactsCodec.encode(new DealFacts(dealId, deal.ownKeys().product(), deal.isWon(), deal.touches()));
        TreeSet<String> leads = leadsOf(dealId);
        for (String leadId : leads) {
            out.put(LEAD + leadId, facts);
        }
        if (!deal.isWon()) {
            return;
        }
        LeadFacts lead = sourceLead(deal, leads);
        String account = deal.accountId() != null ? deal.accountId() : lead == null ? null : lead.convertedAccount();
        if (account != null) {
            out.put(ACCOUNT + account, FactsCodec.encode(new WinFacts(dealId, deal.closedAt(), deal.amount(),
                    DealKeys.of(deal, lead == null ? null : lead.keys()), lead == null ? null : lead.createdAt(),
                    lead == null ? null : lead.keys())));
        }
    }
}
