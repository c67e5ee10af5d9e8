package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.CustomerChurned;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An account: its won deals (from the deals whose account it is) and its churn events. It is a customer from a
 * win until a churn, and again from a later win; a win and a churn at the same instant apply win first.
 */
public record AccountState(String accountId, List<Win> wins, List<Instant> churns) {

    /** A won deal of the account, with the keys it counts under and its source lead's creation and keys (null: none). */
    public record Win(String dealId, Instant closedAt, BigDecimal amount, DimKeys keys, Instant leadCreatedAt, DimKeys leadKeys) {
    }

    /** One period of being a customer; {@code end} is null while it lasts. */
    public record Spell(Instant start, Instant end) {
    }

    public static AccountState fold(String accountId, List<CrmEvent> ordered, List<Win> wins) {
        List<Instant> churns = new ArrayList<>();
        for (CrmEvent e : ordered) {
            if (e.getPayload() instanceof CustomerChurned) {
                churns.add(e.getOccurredAt());
            }
        }
        List<Win> sorted = new ArrayList<>(wins);
        sorted.sort(Comparator.comparing(Win::closedAt).thenComparing(Win::dealId));
        return new AccountState(accountId, sorted, churns);
    }

    public Win firstWin() {
        return wins.isEmpty() ? null : wins.get(0);
    }

    /** The customer spells, in time order. */
    public List<Spell> spells() {
        List<Spell> spells = new ArrayList<>();
        int w = 0, c = 0;
        Instant start = null;
        while (w < wins.size() || c < churns.size()) {
            boolean winNext = c >= churns.size() || (w < wins.size() && !wins.get(w).closedAt().isAfter(churns.get(c)));
            if (winNext) {
                if (start == null) {
                    start = wins.get(w).closedAt();
                }
                w++;
            } else {
                if (start != null) {
                    spells.add(new Spell(start, churns.get(c)));
                    start = null;
                }
                c++;
            }
        }
        if (start != null) {
            spells.add(new Spell(start, null));
        }
        return spells;
    }
}
