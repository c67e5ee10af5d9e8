package io.kpipeline.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API ({@code application/vnd.schemaregistry.v1+json}),
 * working unchanged against Confluent's registry and the embedded one. Schemas by id and the ids of
 * registered schemas are cached forever (they are immutable in the registry), so only the first use
 * of a schema costs a round trip.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param url            the registry's base URL, e.g. {@code http://localhost:8081}
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth (Confluent Cloud's API key), or null
     */
    public RestSchemaRegistryClient(String url, String basicAuthUserInfo) {
        this(url, basicAuthUserInfo, Duration.ofSeconds(30));
    }

    public RestSchemaRegistryClient(String url, String basicAuthUserInfo, Duration timeout) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = URI.create(trimmed);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\u0000' + schema;
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            return Optional.of(toRegistered(answer));
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return toRegistered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(v -> subjects.add(v.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                    .path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        String path = subject == null ? "/config" : "/config/" + encode(subject);
        send("PUT", path, "{\"compatibility\":\"" + level.name() + "\"}");
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        String path = subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
        JsonNode answer = send("GET", path, null);
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        return CompatibilityLevel.parse(level.asText());
    }

    private static String schemaBody(Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RegisteredSchema toRegistered(JsonNode answer) {
        return new RegisteredSchema(answer.get("subject").asText(), answer.get("version").asInt(),
                answer.get("id").asInt(), new Schema.Parser().parse(answer.get("schema").asText()));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + base + " is not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + base, e);
        }
        JsonNode answer;
        try {
            answer = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(response.statusCode(), 0,
                    "schema registry at " + base + " answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(response.statusCode(), answer.path("error_code").asInt(response.statusCode()),
                    answer.path("message").asText("schema registry answered " + response.statusCode()));
        }
        return answer;
    }
}
