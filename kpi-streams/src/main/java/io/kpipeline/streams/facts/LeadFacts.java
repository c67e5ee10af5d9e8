package io.kpipeline.streams.facts;

import io.kpipeline.streams.entity.DimKeys;

import java.time.Instant;

/**
 * What a lead tells one of its deals: whether it exists, its keys (which the deal takes where it lacks its own, and
 * its source always), its creation and first contact, the account it was converted into, whether it was converted
 * into this deal (which makes it one of the deal's leads), and how many CALL touchpoints it has that the deal does
 * not also have (the deal counts the calls on it and its source lead, each touchpoint once).
 */
public record LeadFacts(boolean exists, Instant createdAt, DimKeys keys, Instant firstContactAt, String convertedAccount,
                        boolean convertedInto, long callsNotOnDeal) {
}
