package io.kpipeline.schemas.event;

import io.kpipeline.avro.CrmEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated event lines never crash the parser: each one is either a valid event that survives the round trip or a
 * rejection with a reason code. (A crash would be a stack trace for the user and a lost line.)
 */
class EventJsonFuzzTest {
    static final List<String> SEEDS = List.of(
            "{\"eventId\":\"e-1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-02T09:00:00Z\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"source\":\"inbound-web\"}",
            "{\"eventId\":\"e-5\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"dealId\":\"D-1\",\"stage\":\"discovery\",\"amount\":\"24000.00\",\"currency\":\"EUR\",\"contractMonths\":24,\"expectedCloseDate\":\"2026-12-01\"}",
            "{\"eventId\":\"e-9\",\"type\":\"SpendRecorded\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"spendId\":\"S-1\",\"category\":\"MARKETING\",\"amount\":\"300.00\",\"periodStart\":\"2026-11-01\",\"periodEnd\":\"2026-11-30\"}",
            "{\"eventId\":\"e-2\",\"type\":\"TouchpointLogged\",\"occurredAt\":\"2026-11-02T09:03:30Z\",\"touchpointId\":\"tp-1\",\"leadId\":\"L-1\",\"channel\":\"CALL\",\"outcome\":\"POSITIVE\"}",
            "{\"eventId\":\"e-7\",\"type\":\"TargetSet\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"targetId\":\"T-1\",\"period\":\"2026-Q4\",\"metric\":\"revenue\",\"value\":\"1e3\"}");
    static final List<String> NASTY = List.of("", "null", "-1", "1e999999999", "99999999999999999999", "\"\"", "[]", "{}", "\"\\u0000\"",
            "\"2026-02-30\"", "\"9999-12-31T23:59:59Z\"", "\"-1e-999999999\"", "true", "\"NaN\"", "0.0000001", "\"2026-11\"", "\"2026-Q9\"");

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 400);
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(NASTY), Arbitraries.strings().ofMaxLength(6));
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 8);
        return Combinators.combine(seed, position, insert, cut).as((s, p, ins, c) -> {
            int at = Math.min(p, s.length());
            return s.substring(0, at) + ins + s.substring(Math.min(s.length(), at + c));
        });
    }

    @Provide
    Arbitrary<String> fieldSwapped() {
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.of("amount", "occurredAt", "contractMonths", "periodEnd", "value",
                "expectedCloseDate", "eventId", "type", "channel", "leadId"), Arbitraries.of(NASTY))
                .as((s, field, value) -> s.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + (value.isEmpty() ? "\"\"" : value)));
    }

    /**
     * Mutations that keep a line valid: white space between tokens, the fields in another order, a field the contract
     * does not know. Each must be accepted as the same event as its seed, not only not crash.
     */
    @Provide
    Arbitrary<String[]> validlyMutated() {
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as((seed, kind, salt) -> new String[] {seed, validMutation(seed, kind, new java.util.Random(salt))});
    }

    private static String validMutation(String seed, int kind, java.util.Random random) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(seed);
            switch (kind) {
                case 0 -> {
                    // white space after any structural character outside strings
                    StringBuilder out = new StringBuilder();
                    boolean inString = false;
                    for (int i = 0; i < seed.length(); i++) {
                        char c = seed.charAt(i);
                        out.append(c);
                        if (c == '"' && (i == 0 || seed.charAt(i - 1) != '\\')) {
                            inString = !inString;
                        }
                        if (!inString && (c == ',' || c == ':' || c == '{') && random.nextBoolean()) {
                            out.append(" \t ".substring(0, 1 + random.nextInt(3)));
                        }
                    }
                    return out.toString();
                }
                case 1 -> {
                    List<String> names = new java.util.ArrayList<>();
                    node.fieldNames().forEachRemaining(names::add);
                    java.util.Collections.shuffle(names, random);
                    var shuffled = mapper.createObjectNode();
                    names.forEach(n -> shuffled.set(n, node.get(n)));
                    return mapper.writeValueAsString(shuffled);
                }
                default -> {
                    node.put("x-crm-extra" + random.nextInt(100), "ignored " + random.nextInt());
                    return mapper.writeValueAsString(node);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 1500)
    void validlyMutatedLinesAreAcceptedAsTheSameEvent(@ForAll("validlyMutated") String[] seedAndMutation) {
        assertThat(EventJson.parse(seedAndMutation[1])).as(seedAndMutation[1]).isEqualTo(EventJson.parse(seedAndMutation[0]));
    }

    @Property(tries = 3000)
    void mutatedLinesParseOrAreRejectedWithAReason(@ForAll("mutated") String line) {
        check(line);
    }

    @Property(tries = 2000)
    void nastyFieldValuesParseOrAreRejectedWithAReason(@ForAll("fieldSwapped") String line) {
        check(line);
    }

    @Property(tries = 3000)
    void streamingAndTreeParsingAgree(@ForAll("mutated") String line) {
        agree(line);
    }

    @Property(tries = 2000)
    void streamingAndTreeParsingAgreeOnNastyValues(@ForAll("fieldSwapped") String line) {
        agree(line);
    }

    /** The importer's streaming parse and the webhooks' tree parse accept the same events and reject alike. */
    private static void agree(String line) {
        Object streamed, tree;
        try {
            streamed = EventJson.parse(line);
        } catch (InvalidEventException e) {
            streamed = e.reasonCode() + ": " + e.getMessage();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = EventJson.readTree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new InvalidEventException("INVALID_JSON", "invalid JSON: expected one object per line");
            }
            tree = EventJson.fromTree((com.fasterxml.jackson.databind.node.ObjectNode) node);
        } catch (InvalidEventException e) {
            tree = e.reasonCode() + ": " + e.getMessage();
        }
        if (streamed instanceof String s && tree instanceof String t && s.startsWith("INVALID_JSON") && t.startsWith("INVALID_JSON")) {
            return; // both refuse the JSON itself; the parsers word the syntax error differently
        }
        assertThat(streamed).as(line).isEqualTo(tree);
    }

    @Provide
    Arbitrary<String> instants() {
        Arbitrary<String> formatted = Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L)
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999).flatMap(nanos -> Arbitraries.integers().between(0, 3)
                        .map(style -> {
                            java.time.Instant i = java.time.Instant.ofEpochSecond(seconds, style == 0 ? 0 : nanos);
                            String text = i.toString();
                            return style == 3 ? text.replace("Z", "+00:00") : text;
                        })));
        Arbitrary<String> mangled = Combinators.combine(Arbitraries.of("2026-11-02T09:15:00Z", "2026-02-28T23:59:59.5Z", "2024-02-29T00:00:00.123456789Z"),
                Arbitraries.integers().between(0, 30), Arbitraries.of("", "0", "9", "Z", ".", ":", "-", "T", "60", "13", "32", "a", "+01:00"))
                .as((s, at, ins) -> s.substring(0, Math.min(at, s.length())) + ins + s.substring(Math.min(s.length(), at + 1)));
        return Arbitraries.oneOf(formatted, mangled);
    }

    @net.jqwik.api.Example
    void fastPathReadsTheCommonForms() {
        assertThat(InstantText.parse("2026-11-02T09:15:00Z")).isEqualTo(java.time.Instant.parse("2026-11-02T09:15:00Z"));
        assertThat(InstantText.parse("2024-02-29T23:59:59.123Z")).isEqualTo(java.time.Instant.parse("2024-02-29T23:59:59.123Z"));
        assertThat(InstantText.parse("2026-11-02T09:15:00.000000001Z")).isEqualTo(java.time.Instant.parse("2026-11-02T09:15:00.000000001Z"));
        // left to Instant.parse: an offset, a leap second, a 30th of February
        assertThat(InstantText.parse("2026-11-02T09:15:00+01:00")).isNull();
        assertThat(InstantText.parse("2026-12-31T23:59:60Z")).isNull();
        assertThat(InstantText.parse("2026-02-30T00:00:00Z")).isNull();
    }

    /** The fast path never disagrees with Instant.parse: it answers the same or leaves the text to it. */
    @Property(tries = 5000)
    void fastInstantsAgreeWithInstantParse(@ForAll("instants") String text) {
        java.time.Instant fast = InstantText.parse(text);
        if (fast == null) {
            return;
        }
        assertThat(fast).as(text).isEqualTo(java.time.Instant.parse(text));
    }

    private static void check(String line) {
        CrmEvent event;
        try {
            event = EventJson.parse(line);
        } catch (InvalidEventException e) {
            assertThat(e.reasonCode()).isNotBlank();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(event.getOccurredAt()).isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(367)));
        // a valid event writes back to JSON that parses to the same event
        assertThat(EventJson.parse(EventJson.write(event))).isEqualTo(event);
    }
}
