package io.kpipeline.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry speaking the Confluent REST API over HTTP, for the one-machine pipeline: subjects,
 * versions, schemas by id, compatibility checks and configuration. Its state is a
 * {@link SchemaRegistryCore} whose history lives in a compacted Kafka topic.
 *
 * <p>It implements the part of the API that serializers, deserializers and people use; the mode and
 * context APIs of Confluent's registry are not served.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryCore core;
    private final Javalin server;

    private EmbeddedSchemaRegistry(SchemaRegistryCore core, Javalin server) {
        this.core = core;
        this.server = server;
    }

    /** Starts serving {@code core} on {@code host:port} (port 0 picks a free port). */
    public static EmbeddedSchemaRegistry start(SchemaRegistryCore core, String host, int port) {
        Javalin server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/", ctx -> json(ctx, Map.of()));
            config.routes.get("/subjects", ctx -> json(ctx, core.subjects()));
            config.routes.get("/subjects/{subject}/versions", ctx -> json(ctx, core.versions(ctx.pathParam("subject"))));
            config.routes.post("/subjects/{subject}/versions", ctx -> {
                int id = core.register(ctx.pathParam("subject"), schemaText(ctx));
                json(ctx, Map.of("id", id));
            });
            config.routes.get("/subjects/{subject}/versions/{version}", ctx ->
                    json(ctx, describe(version(core, ctx.pathParam("subject"), ctx.pathParam("version")))));
            config.routes.get("/subjects/{subject}/versions/{version}/schema", ctx ->
                    ctx.contentType(CONTENT_TYPE).result(version(core, ctx.pathParam("subject"), ctx.pathParam("version")).schema().toString()));
            config.routes.post("/subjects/{subject}", ctx -> {
                String subject = ctx.pathParam("subject");
                Schema schema = parse(schemaText(ctx));
                core.versions(subject); // 40401 when the subject does not exist, as Confluent answers
                RegisteredSchema found = core.lookup(subject, schema)
                        .orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema not found"));
                json(ctx, describe(found));
            });
            config.routes.delete("/subjects/{subject}", ctx -> json(ctx, core.deleteSubject(ctx.pathParam("subject"))));
            config.routes.get("/schemas/ids/{id}", ctx -> json(ctx, Map.of("schema", core.schemaById(id(ctx)).toString())));
            config.routes.get("/schemas/ids/{id}/schema", ctx ->
                    ctx.contentType(CONTENT_TYPE).result(core.schemaById(id(ctx)).toString()));
            config.routes.get("/schemas/types", ctx -> json(ctx, List.of("AVRO")));
            config.routes.get("/schemas/ids/{id}/versions", ctx -> {
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                for (Map.Entry<String, Integer> sv : core.subjectVersions(id(ctx))) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("subject", sv.getKey());
                    entry.put("version", sv.getValue());
                    out.add(entry);
                }
                json(ctx, out);
            });
            config.routes.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> {
                String subject = ctx.pathParam("subject");
                String text = schemaText(ctx);
                List<String> problems;
                if (core.subjects().contains(subject)) {
                    version(core, subject, ctx.pathParam("version"));
                    problems = core.incompatibilities(subject, text);
                } else {
                    parse(text);
                    problems = List.of();
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("is_compatible", problems.isEmpty());
                if (!problems.isEmpty() && "true".equals(ctx.queryParam("verbose"))) {
                    answer.put("messages", problems);
                }
                json(ctx, answer);
            });
            config.routes.get("/config", ctx -> json(ctx, Map.of("compatibilityLevel", core.compatibility(null).name())));
            config.routes.put("/config", ctx -> {
                CompatibilityLevel level = CompatibilityLevel.parse(field(ctx, "compatibility"));
                core.setCompatibility(null, level);
                json(ctx, Map.of("compatibility", level.name()));
            });
            config.routes.get("/config/{subject}", ctx -> {
                // as Confluent's: a subject without a level of its own is 404/40408 unless the global one is asked for
                String subject = ctx.pathParam("subject");
                var own = core.subjectCompatibility(subject);
                if (own.isEmpty() && !"true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"))) {
                    throw new SchemaRegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
                }
                json(ctx, Map.of("compatibilityLevel", own.orElse(core.compatibility(null)).name()));
            });
            config.routes.put("/config/{subject}", ctx -> {
                CompatibilityLevel level = CompatibilityLevel.parse(field(ctx, "compatibility"));
                core.setCompatibility(ctx.pathParam("subject"), level);
                json(ctx, Map.of("compatibility", level.name()));
            });
            config.routes.exception(SchemaRegistryException.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                io.kpipeline.schemas.http.ClientFaults.Fault fault = io.kpipeline.schemas.http.ClientFaults.of(e);
                if (fault != null) {
                    // Confluent answers a request it cannot read with the HTTP status as its error code
                    error(ctx, fault.status(), fault.status(), fault.message());
                    return;
                }
                String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
                LOG.error("registry error {} answering {} {}", reference, ctx.method(), ctx.path(), e);
                error(ctx, 500, 50001, "Error in the backend (reference " + reference + " in the log)");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, 404, 404, "HTTP 404 Not Found");
                }
            });
        });
        server.start();
        return new EmbeddedSchemaRegistry(core, server);
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    public SchemaRegistryCore core() {
        return core;
    }

    @Override
    public void close() {
        server.stop();
    }

    private static RegisteredSchema version(SchemaRegistryCore core, String subject, String version) {
        if ("latest".equals(version) || "-1".equals(version)) {
            return core.latest(subject);
        }
        try {
            return core.version(subject, Integer.parseInt(version));
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, 42202,
                    "The specified version '" + version + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
    }

    private static Map<String, Object> describe(RegisteredSchema schema) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", schema.subject());
        answer.put("version", schema.version());
        answer.put("id", schema.id());
        answer.put("schema", schema.schema().toString());
        return answer;
    }

    private static int id(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, 40403, "Schema " + ctx.pathParam("id") + " not found");
        }
    }

    private static String schemaText(Context ctx) {
        String type = fieldOrNull(ctx, "schemaType");
        if (type != null && !"AVRO".equals(type)) {
            throw new SchemaRegistryException(422, 42201, "Invalid schema: only AVRO schemas are supported, not " + type);
        }
        return field(ctx, "schema");
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(422, 42201, "Invalid schema: " + SchemaRegistryCore.plain(e));
        }
    }

    private static String field(Context ctx, String name) {
        String value = fieldOrNull(ctx, name);
        if (value == null) {
            throw new SchemaRegistryException(422, 42201, "The request body has no \"" + name + "\" field");
        }
        return value;
    }

    private static String fieldOrNull(Context ctx, String name) {
        try {
            JsonNode body = JSON.readTree(ctx.body());
            JsonNode value = body == null ? null : body.get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (java.io.IOException e) {
            throw new SchemaRegistryException(422, 42201, "The request body is not JSON: " + SchemaRegistryCore.plain(e));
        }
    }

    private static void json(Context ctx, Object body) throws java.io.IOException {
        ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsString(body));
    }

    private static void error(Context ctx, int status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(JSON.writeValueAsString(body));
        } catch (java.io.IOException e) {
            ctx.status(status).result(message);
        }
    }
}
