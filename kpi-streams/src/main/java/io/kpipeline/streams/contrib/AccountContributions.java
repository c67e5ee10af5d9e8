package io.kpipeline.streams.contrib;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.AccountState;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contributions of an account: its first win (a new customer, and the acquisition of its source lead's
 * cohort), the start and end of each customer spell, its churns (with the lifetime since the first win, and
 * whether it was a customer at the start of the churn's period), and distinct paying customers per period. An
 * account counts under the keys of its first won deal.
 */
public final class AccountContributions {
    private AccountContributions() {
    }

    public static List<Contribution> of(AccountState account, BusinessCalendar calendar) {
        List<Contribution> out = new ArrayList<>();
        AccountState.Win first = account.firstWin();
        if (first == null) {
            return out;
        }
        DimKeys keys = first.keys();
        out.add(Contribution.count(Measure.NEW_CUSTOMERS, first.closedAt(), keys));
        if (first.leadKeys() != null) {
            out.add(Contribution.count(Measure.CUSTOMERS_FROM_LEADS, first.leadCreatedAt(), first.leadKeys()));
        }
        for (AccountState.Spell spell : account.spells()) {
            out.add(new Contribution(Measure.CUSTOMERS_NET, "", spell.start(), keys, 1, null, -1));
            if (spell.end() != null) {
                out.add(new Contribution(Measure.CUSTOMERS_NET, "", spell.end(), keys, -1, null, -1));
                Instant churn = spell.end();
                out.add(Contribution.duration(Measure.CHURNS, "", churn, keys, Duration.between(first.closedAt(), churn).toMillis()));
                for (Grain g : Grain.CALENDAR) {
                    Instant periodStart = calendar.startOf(g.start(calendar.period(g, churn)));
                    if (spell.start().isBefore(periodStart)) {
                        out.add(new Contribution(Measure.CHURNS_OF_ACTIVE, g.id(), churn, keys, 1, null, -1));
                    }
                }
            }
        }
        paying(account, calendar, out);
        return out;
    }

    /** One paying customer per (dimension, key, grain, period) with wins, at the first such win. */
    private static void paying(AccountState account, BusinessCalendar calendar, List<Contribution> out) {
        Set<String> seen = new HashSet<>();
        for (AccountState.Win win : account.wins()) {
            for (Dimension d : Dimension.ALL) {
                String key = win.keys().get(d);
                if (key == null) {
                    continue;
                }
                for (Grain g : Grain.CALENDAR) {
                    if (seen.add(d + "|" + key + "|" + g + "|" + calendar.period(g, win.closedAt()))) {
                        out.add(new Contribution(Measure.PAYING_CUSTOMERS, g.id(), win.closedAt(), win.keys(), 1, null, -1)
                                .onlyUnder(d));
                    }
                }
            }
        }
    }

}
