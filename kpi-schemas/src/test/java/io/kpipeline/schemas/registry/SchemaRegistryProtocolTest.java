package io.kpipeline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.EventType;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerializer;
import io.kpipeline.schemas.serde.WireFormat;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded registry and the REST client, talking the Confluent protocol over real HTTP.
 */
class SchemaRegistryProtocolTest {
    private static final String V1 = """
            {"type":"record","name":"Deal","namespace":"t","fields":[
              {"name":"id","type":"string"},{"name":"amount","type":"string"}]}""";
    private static final String V2_OPTIONAL_FIELD = """
            {"type":"record","name":"Deal","namespace":"t","fields":[
              {"name":"id","type":"string"},{"name":"amount","type":"string"},
              {"name":"product","type":["null","string"],"default":null}]}""";
    private static final String V2_NEW_REQUIRED_FIELD = """
            {"type":"record","name":"Deal","namespace":"t","fields":[
              {"name":"id","type":"string"},{"name":"amount","type":"string"},
              {"name":"product","type":"string"}]}""";

    private EmbeddedSchemaRegistry server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = EmbeddedSchemaRegistry.start(SchemaRegistryCore.inMemory(), "127.0.0.1", 0);
        client = new RestSchemaRegistryClient("http://127.0.0.1:" + server.port(), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAcceptAnEvolvedSchemaWithANewOptionalFieldAndLetTheOldReaderReadIt() throws Exception {
        Schema v1 = new Schema.Parser().parse(V1);
        Schema v2 = new Schema.Parser().parse(V2_OPTIONAL_FIELD);
        int id1 = client.register("deals-value", v1);

        // when: the new version (BACKWARD, the default) is registered
        assertThat(client.isCompatible("deals-value", v2)).isTrue();
        int id2 = client.register("deals-value", v2);

        // then: it is version 2 with a new id, and a record written with v2 is readable by a v1 reader
        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.versions("deals-value")).containsExactly(1, 2);
        assertThat(client.latest("deals-value").id()).isEqualTo(id2);
        GenericRecord written = new GenericData.Record(v2);
        written.put("id", "D-1");
        written.put("amount", "100.00");
        written.put("product", "analytics");
        byte[] bytes = encode(v2, written);
        GenericRecord read = new GenericDatumReader<GenericRecord>(client.schemaById(id2), v1)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(read.get("id").toString()).isEqualTo("D-1");
        assertThat(read.getSchema().getField("product")).isNull();
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWithTheRegistryError() {
        client.register("deals-value", new Schema.Parser().parse(V1));
        Schema incompatible = new Schema.Parser().parse(V2_NEW_REQUIRED_FIELD);

        assertThat(client.isCompatible("deals-value", incompatible)).isFalse();
        assertThatThrownBy(() -> client.register("deals-value", incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("incompatible").contains("product");
                });
        assertThat(client.versions("deals-value")).containsExactly(1);
    }

    @Test
    void shouldAllowAnyChangeUnderCompatibilityNone() {
        client.register("deals-value", new Schema.Parser().parse(V1));
        client.setCompatibility("deals-value", CompatibilityLevel.NONE);

        client.register("deals-value", new Schema.Parser().parse(V2_NEW_REQUIRED_FIELD));

        assertThat(client.compatibility("deals-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.versions("deals-value")).containsExactly(1, 2);
    }

    @Test
    void shouldGiveTheSameIdToTheSameSchemaInAnotherSubjectAndNotAddAVersionTwice() {
        Schema v1 = new Schema.Parser().parse(V1);
        int id = client.register("a-value", v1);

        assertThat(client.register("b-value", v1)).isEqualTo(id);
        assertThat(client.register("a-value", v1)).isEqualTo(id);
        assertThat(client.versions("a-value")).containsExactly(1);
        assertThat(client.lookup("b-value", v1)).map(RegisteredSchema::version).contains(1);
        assertThat(client.subjects()).containsExactly("a-value", "b-value");
    }

    @Test
    void shouldAnswerUnknownIdsAndSubjectsWithConfluentErrorCodes() {
        assertThatThrownBy(() -> client.schemaById(999))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> client.latest("nope"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void shouldWriteRecordsThatPlainAvroDecodesWithTheSchemaFetchedById() throws Exception {
        CrmEvent event = CrmEvent.newBuilder()
                .setEventId("e-1").setType(EventType.LeadCreated)
                .setOccurredAt(Instant.parse("2026-11-02T09:00:00Z"))
                .setPayload(LeadCreated.newBuilder().setLeadId("L-1").setRepId("R-7").build())
                .build();

        byte[] framed = new AvroSerializer<CrmEvent>(client, false).serialize("crm-events", event);

        // then: the frame is magic byte + id, and plain Avro with the fetched schema reads the rest
        int id = WireFormat.schemaId(framed);
        Schema fetched = new Schema.Parser().parse(new RestSchemaRegistryClient(
                "http://127.0.0.1:" + server.port(), null).schemaById(id).toString());
        GenericRecord plain = new GenericDatumReader<GenericRecord>(fetched).read(null,
                DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_LENGTH, framed.length - WireFormat.HEADER_LENGTH, null));
        assertThat(plain.get("eventId").toString()).isEqualTo("e-1");
        assertThat(((GenericRecord) plain.get("payload")).get("repId").toString()).isEqualTo("R-7");
        assertThat(client.latest("crm-events-value").id()).isEqualTo(id);
        // and the project's own deserializer gives back the same event
        assertThat(new AvroDeserializer<>(client, CrmEvent.class).deserialize("crm-events", framed)).isEqualTo(event);
    }

    @Test
    void shouldRefuseGarbageWithAClearError() {
        AvroDeserializer<CrmEvent> deserializer = new AvroDeserializer<>(client, CrmEvent.class);
        assertThatThrownBy(() -> deserializer.deserialize("crm-events", new byte[] {1, 2, 3}))
                .hasMessageContaining("not a Confluent wire-format record");
        assertThatThrownBy(() -> deserializer.deserialize("crm-events", new byte[] {0, 0, 0, 0, 42, 1}))
                .hasMessageContaining("cannot fetch schema 42");
    }

    /** The raw HTTP answer of the embedded registry, as Confluent's clients see it. */
    private java.net.http.HttpResponse<String> http(String method, String path, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerASubjectWithoutALevelOfItsOwnAsConfluentDoes() throws Exception {
        // Confluent: GET /config/{subject} is 404 / 40408 unless the subject has a level, or defaultToGlobal=true
        client.register("a-value", new Schema.Parser().parse(V1));
        var own = http("GET", "/config/a-value", null);
        assertThat(own.statusCode()).isEqualTo(404);
        assertThat(own.body()).contains("\"error_code\":40408").contains("a-value");
        var global = http("GET", "/config/a-value?defaultToGlobal=true", null);
        assertThat(global.statusCode()).isEqualTo(200);
        assertThat(global.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
        client.setCompatibility("a-value", CompatibilityLevel.FULL);
        assertThat(http("GET", "/config/a-value", null).body()).contains("\"compatibilityLevel\":\"FULL\"");
    }

    @Test
    void shouldListTheSubjectVersionsOfASchemaId() throws Exception {
        Schema v1 = new Schema.Parser().parse(V1);
        int id = client.register("a-value", v1);
        client.register("b-value", v1);
        var answer = http("GET", "/schemas/ids/" + id + "/versions", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");
        var unknown = http("GET", "/schemas/ids/999/versions", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error_code\":40403");
    }

    @Test
    void shouldNameWhatIsWrongWithAnInvalidSchemaWithoutParserClassNames() throws Exception {
        var notJson = http("POST", "/subjects/a-value/versions", "{\"schema\": \"{not json\"}");
        assertThat(notJson.statusCode()).isEqualTo(422);
        assertThat(notJson.body()).contains("\"error_code\":42201").contains("Invalid schema").doesNotContain("jackson").doesNotContain("Exception");
        var badBody = http("POST", "/subjects/a-value/versions", "{schema: 1");
        assertThat(badBody.statusCode()).isEqualTo(422);
        assertThat(badBody.body()).contains("not JSON").contains("line 1").doesNotContain("jackson").doesNotContain("Exception");
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
