package io.kpipeline.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The compatibility levels of the Confluent Schema Registry. BACKWARD (the default) means a consumer
 * using the new schema can read data written with the previous one.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /**
     * Checks {@code candidate} against the existing versions of a subject (oldest first) and returns
     * the reasons it is incompatible; an empty list means it may be registered.
     */
    public List<String> incompatibilities(Schema candidate, List<Schema> existing) {
        if (this == NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Schema> against = transitive() ? existing : List.of(existing.get(existing.size() - 1));
        return against.stream()
                .flatMap(old -> check(candidate, old).stream())
                .distinct()
                .toList();
    }

    private boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    private List<String> check(Schema candidate, Schema old) {
        boolean backward = this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        boolean forward = this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        if (backward) {
            problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "new reader, old writer"));
        }
        if (forward) {
            problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "old reader, new writer"));
        }
        return problems;
    }

    private static List<String> describe(SchemaCompatibility.SchemaPairCompatibility result, String direction) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> "{errorType:'" + i.getType() + "', description:'" + i.getMessage()
                        + "', location:'" + i.getLocation() + "' (" + direction + ")}")
                .toList();
    }

    /** Parses a level as the registry's REST API spells it; unknown levels are a 422 like Confluent's. */
    public static CompatibilityLevel parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(422, 42203, "Invalid compatibility level: " + value);
        }
    }
}
