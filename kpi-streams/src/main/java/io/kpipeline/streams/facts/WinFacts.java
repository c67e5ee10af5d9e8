package io.kpipeline.streams.facts;

import io.kpipeline.streams.entity.DimKeys;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a won deal tells the account it belongs to: when it closed, its amount, the keys it counts under, and its
 * source lead's creation and keys (null when it has none), for the account's customer KPIs.
 */
public record WinFacts(String dealId, Instant closedAt, BigDecimal amount, DimKeys keys, Instant leadCreatedAt, DimKeys leadKeys) {
}
