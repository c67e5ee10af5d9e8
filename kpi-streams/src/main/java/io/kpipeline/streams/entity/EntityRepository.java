package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.event.EventCodec;
import io.kpipeline.streams.event.EventOrder;
import io.kpipeline.streams.store.WriteBehindStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The stored event sets of all entities, the contributions each made last, and the links between them (a lead's
 * deals, a deal's leads), with the decoded event sets and folded states cached for the duration of one input event.
 */
public final class EntityRepository {
    private final WriteBehindStore<EntityRecord> records;
    private final WriteBehindStore<byte[]> links;
    private final EngineSettings settings;
    private final Map<String, Object> memo = new HashMap<>();
    /** decoded event sets, in contract order: the append's duplicate check and the folds after it share one decoding */
    private final Map<String, List<CrmEvent>> decoded = new HashMap<>();

    public EntityRepository(WriteBehindStore<EntityRecord> records, WriteBehindStore<byte[]> links, EngineSettings settings) {
        this.records = records;
        this.links = links;
        this.settings = settings;
    }

    /** Forgets decoded and folded states; call once per input event. */
    public void clearCache() {
        memo.clear();
        decoded.clear();
    }

    /** The entity's events in contract order (not to be modified). */
    public List<CrmEvent> events(String entity) {
        return Collections.unmodifiableList(decoded.computeIfAbsent(entity, k -> {
            EntityRecord record = records.value(k);
            List<CrmEvent> list = EventCodec.decode(record == null ? null : record.events);
            list.sort(EventOrder.ORDER);
            return list;
        }));
    }

    /**
     * Adds an event to its entity's set and records the links it names; false when the set already holds an
     * event with its id (a duplicate delivery, which changes nothing).
     */
    public boolean append(String entity, CrmEvent event) {
        return append(entity, event, null, 0, 0);
    }

    /**
     * As {@link #append(String, CrmEvent)}, with the event's Avro binary encoding in this build's schema when the
     * caller has it ({@code length} bytes of {@code body} from {@code offset}; null: encoded here).
     */
    public boolean append(String entity, CrmEvent event, byte[] body, int offset, int length) {
        List<CrmEvent> list = events(entity);
        for (CrmEvent e : list) {
            if (e.getEventId().equals(event.getEventId())) {
                return false;
            }
        }
        EntityRecord record = records.update(entity, EntityRecord::new);
        record.events = body == null ? EventCodec.append(record.events, event) : EventCodec.append(record.events, body, offset, length);
        List<CrmEvent> appended = new ArrayList<>(list);
        appended.add(event);
        appended.sort(EventOrder.ORDER);
        decoded.put(entity, appended);
        memo.remove(entity);
        Object p = event.getPayload();
        if (p instanceof DealCreated d) {
            if (d.getLeadId() != null) {
                link("lead-deals:" + d.getLeadId(), d.getDealId());
                link("deal-leads:" + d.getDealId(), d.getLeadId());
            }
            if (d.getAccountId() != null) {
                link("account-deals:" + d.getAccountId(), d.getDealId());
                link("deal-accounts:" + d.getDealId(), d.getAccountId());
            }
        } else if (p instanceof LeadConverted c) {
            link("lead-deals:" + c.getLeadId(), c.getDealId());
            link("deal-leads:" + c.getDealId(), c.getLeadId());
            if (c.getAccountId() != null) {
                link("account-deals:" + c.getAccountId(), c.getDealId());
                link("deal-accounts:" + c.getDealId(), c.getAccountId());
            }
        }
        return true;
    }

    /** The encoded contributions the entity made last, or null. */
    public byte[] contributions(String entity) {
        EntityRecord record = records.value(entity);
        return record == null ? null : record.contributions;
    }

    /** Records the entity's contributions (encoded; null for none). */
    public void setContributions(String entity, byte[] encoded) {
        records.update(entity, EntityRecord::new).contributions = encoded;
    }

    public LeadState lead(String leadId) {
        Object o = memo.computeIfAbsent("lead:" + leadId, k -> Optional.ofNullable(LeadState.fold(leadId, events(k))));
        return (LeadState) ((Optional<?>) o).orElse(null);
    }

    public DealState deal(String dealId) {
        Object o = memo.computeIfAbsent("deal:" + dealId,
                k -> Optional.ofNullable(DealState.fold(dealId, events(k), settings.fx(), settings.calendar())));
        return (DealState) ((Optional<?>) o).orElse(null);
    }

    /** The deals whose source lead is (or was converted from) {@code leadId}, that exist. */
    public List<DealState> dealsOf(String leadId) {
        List<DealState> out = new ArrayList<>();
        for (String dealId : linked("lead-deals:" + leadId)) {
            DealState d = deal(dealId);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /** A deal's source lead: {@code DealCreated.leadId}, else the lead converted into it. */
    public String sourceLeadId(DealState deal) {
        if (deal.leadId() != null) {
            return deal.leadId();
        }
        TreeSet<String> leads = linked("deal-leads:" + deal.dealId());
        return leads.isEmpty() ? null : leads.first();
    }

    /** A deal's account: its own {@code accountId}, else the one its source lead was converted into. */
    public String accountOf(DealState deal) {
        if (deal.accountId() != null) {
            return deal.accountId();
        }
        String leadId = sourceLeadId(deal);
        LeadState lead = leadId == null ? null : lead(leadId);
        return lead == null ? null : lead.convertedAccount();
    }

    /** An account folded with its won deals (those whose account it is now). */
    public AccountState account(String accountId) {
        List<AccountState.Win> wins = new ArrayList<>();
        for (String dealId : linked("account-deals:" + accountId)) {
            DealState d = deal(dealId);
            if (d == null || !d.isWon() || !accountId.equals(accountOf(d))) {
                continue;
            }
            String leadId = sourceLeadId(d);
            LeadState lead = leadId == null ? null : lead(leadId);
            wins.add(new AccountState.Win(d.dealId(), d.closedAt(), d.amount(), DealKeys.of(d, lead), lead));
        }
        return AccountState.fold(accountId, events("account:" + accountId), wins);
    }

    public TreeSet<String> linked(String linkKey) {
        byte[] bytes = links.value(linkKey);
        return bytes == null ? new TreeSet<>() : new ByteReader(bytes).readStrings(new TreeSet<>());
    }

    private void link(String linkKey, String id) {
        TreeSet<String> set = linked(linkKey);
        if (set.add(id)) {
            links.set(linkKey, new ByteWriter().writeStrings(set).toByteArray());
        }
    }
}
