package io.kpipeline.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The rules of a Confluent-compatible schema registry, in memory: subjects with numbered versions,
 * global ids shared by identical schemas across subjects, compatibility levels (BACKWARD by default),
 * soft deletion. Every change is written to a {@link SchemaLog} in the record format of Confluent's
 * {@code _schemas} topic and the state is rebuilt from it on start.
 *
 * <p>It serves the embedded registry's REST API and doubles as an in-process
 * {@link SchemaRegistryClient} for tests. Thread-safe: every operation is synchronized, which is
 * plenty for a registry whose reads are cached by its clients.
 */
public final class SchemaRegistryCore implements SchemaRegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaLog log;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    private record Version(int version, int id, boolean deleted) {
    }

    public SchemaRegistryCore(SchemaLog log) {
        this.log = log;
        log.replay(this::apply);
    }

    /** A registry that lives only in memory. */
    public static SchemaRegistryCore inMemory() {
        return new SchemaRegistryCore(SchemaLog.NONE);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        return register(subject, schema.toString());
    }

    /** Registers a schema given as text, as the REST API receives it. */
    public synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<Schema> live = liveSchemas(subject);
        List<String> problems = compatibility(subject).incompatibilities(schema, live);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\", details: " + problems);
        }
        int id = idsByCanonical.getOrDefault(canonical, maxId + 1);
        TreeMap<Integer, Version> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("subject", subject);
        value.put("version", version);
        value.put("id", id);
        value.put("schema", canonical);
        value.put("deleted", false);
        write(key, value);
        return id;
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        Integer id = idsByCanonical.get(schema.toString());
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        return versions.values().stream()
                .filter(v -> v.id() == id && !v.deleted())
                .findFirst()
                .map(v -> new RegisteredSchema(subject, v.version(), v.id(), schemasById.get(v.id())));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Version> live = liveVersions(subject);
        Version last = live.get(live.size() - 1);
        return new RegisteredSchema(subject, last.version(), last.id(), schemasById.get(last.id()));
    }

    /** One version of a subject; 404/40402 if there is no such version. */
    public synchronized RegisteredSchema version(String subject, int version) {
        Version v = liveVersions(subject).stream().filter(x -> x.version() == version).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, 40402, "Version " + version + " not found."));
        return new RegisteredSchema(subject, v.version(), v.id(), schemasById.get(v.id()));
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return liveVersions(subject).stream().map(Version::version).toList();
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects.entrySet().stream()
                .filter(e -> e.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatibility(subject).incompatibilities(schema, liveSchemas(subject)).isEmpty();
    }

    /** Checks a schema text against a subject and returns the reasons it is incompatible (empty: compatible). */
    public synchronized List<String> incompatibilities(String subject, String schemaText) {
        return compatibility(subject).incompatibilities(parse(schemaText), liveSchemas(subject));
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", "CONFIG");
        key.put("subject", subject);
        key.put("magic", 0);
        write(key, Map.of("compatibilityLevel", level.name()));
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subject == null ? globalLevel : subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** The subject's own compatibility level, if one was set (the global level applies otherwise). */
    public synchronized java.util.Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return java.util.Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Every live (subject, version) registered with the schema of this id, in subject order; 404/40403 if none. */
    public synchronized List<Map.Entry<String, Integer>> subjectVersions(int id) {
        List<Map.Entry<String, Integer>> out = new java.util.ArrayList<>();
        subjects.forEach((subject, versions) -> versions.values().stream().filter(v -> v.id() == id && !v.deleted())
                .forEach(v -> out.add(Map.entry(subject, v.version()))));
        if (out.isEmpty() && !schemasById.containsKey(id)) {
            throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
        }
        return out;
    }

    /** Soft-deletes every version of a subject and returns the deleted version numbers. */
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Version> live = liveVersions(subject);
        for (Version v : live) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("keytype", "SCHEMA");
            key.put("subject", subject);
            key.put("version", v.version());
            key.put("magic", 1);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("subject", subject);
            value.put("version", v.version());
            value.put("id", v.id());
            value.put("schema", schemasById.get(v.id()).toString());
            value.put("deleted", true);
            write(key, value);
        }
        return live.stream().map(Version::version).toList();
    }

    private List<Version> liveVersions(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        List<Version> live = versions == null ? List.of()
                : versions.values().stream().filter(v -> !v.deleted()).toList();
        if (live.isEmpty()) {
            throw new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.");
        }
        return live;
    }

    private List<Schema> liveSchemas(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        List<Schema> schemas = new ArrayList<>();
        versions.values().stream().filter(v -> !v.deleted()).forEach(v -> schemas.add(schemasById.get(v.id())));
        return schemas;
    }

    private static Schema parse(String schemaText) {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException | NullPointerException e) {
            throw new SchemaRegistryException(422, 42201, "Invalid schema: " + plain(e));
        }
    }

    private void write(Map<String, Object> key, Map<String, Object> value) {
        try {
            SchemaLog.Entry entry = new SchemaLog.Entry(JSON.writeValueAsString(key), JSON.writeValueAsString(value));
            log.append(entry);
            apply(entry);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies one {@code _schemas} record; records of kinds this registry does not use are skipped. */
    private synchronized void apply(SchemaLog.Entry entry) {
        try {
            JsonNode key = JSON.readTree(entry.key());
            String keytype = key.path("keytype").asText();
            JsonNode value = entry.value() == null ? null : JSON.readTree(entry.value());
            if ("SCHEMA".equals(keytype) && value instanceof ObjectNode) {
                int id = value.get("id").asInt();
                Schema schema = new Schema.Parser().parse(value.get("schema").asText());
                schemasById.putIfAbsent(id, schema);
                idsByCanonical.putIfAbsent(schema.toString(), id);
                maxId = Math.max(maxId, id);
                int version = value.get("version").asInt();
                subjects.computeIfAbsent(value.get("subject").asText(), s -> new TreeMap<>())
                        .put(version, new Version(version, id, value.path("deleted").asBoolean(false)));
            } else if ("CONFIG".equals(keytype) && value != null) {
                CompatibilityLevel level = CompatibilityLevel.parse(value.get("compatibilityLevel").asText());
                JsonNode subject = key.get("subject");
                if (subject == null || subject.isNull()) {
                    globalLevel = level;
                } else {
                    subjectLevels.put(subject.asText(), level);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable schema log record " + entry.key(), e);
        }
    }
    /**
     * A parser's complaint without the parser's class names or source excerpts (Avro wraps Jackson's, whose message
     * starts with its exception class and ends with a dump of the input): what is wrong, and where.
     */
    static String plain(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            t = t.getCause();
        }
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            var at = j.getLocation();
            return j.getOriginalMessage().lines().findFirst().orElse("").replaceAll("\\s*\\(for [^)]*\\)", "")
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return message.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ?", "");
    }

}
