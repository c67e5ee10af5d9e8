package io.kpipeline.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The declared settings: what a bad value is told, and docs/configuration.md generated from the declarations. */
class SettingsTest {
    static final Path DOC = Path.of("../docs/configuration.md");
    static final String BEGIN = "<!-- generated from kpi-app/.../config/Settings.java: edit the declarations, not this table -->\n";
    static final String END = "<!-- end of the generated table -->\n";

    private static KpiConfig load(String... sets) {
        return KpiConfig.load(null, Map.of(), List.of(sets), Map.of());
    }

    @Test
    void theDefaultsAreValidAndTyped() {
        KpiConfig c = load();
        assertThat(c.integer("port")).isEqualTo(8080);
        assertThat(c.duration("lead-response-sla")).hasMinutes(5);
        assertThat(c.integer("event-partitions")).isEqualTo(8);
        assertThat(c.get("output-compression")).isEqualTo("gzip");
        // a topic's compression.type has no "none": every value of the setting must be one the broker takes
        List<String> broker = java.util.Arrays.stream(org.apache.kafka.server.record.BrokerCompressionType.values())
                .map(t -> t.name).toList();
        assertThat(broker).containsAll(List.of("none", "gzip", "snappy", "lz4", "zstd").stream().map(Settings::topicCompression).toList());
    }

    @Test
    void aBadValueStopsStartUpWithOneLineNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> load("port=70000")).isInstanceOf(ConfigException.class).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> load("port=eighty")).hasMessageContaining("port").hasMessageContaining("eighty");
        assertThatThrownBy(() -> load("stream-threads=0")).hasMessageContaining("stream-threads").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> load("correction-horizon=400 days")).hasMessageContaining("correction-horizon").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> load("lead-response-sla.source.web=soon")).hasMessageContaining("lead-response-sla.source.web");
        assertThatThrownBy(() -> load("output-compression=brotli")).hasMessageContaining("output-compression").hasMessageContaining("brotli");
        assertThatThrownBy(() -> load("reporting-currency=eur")).hasMessageContaining("reporting-currency").hasMessageContaining("ISO-4217");
        assertThatThrownBy(() -> load("business-time-zone=Mars/Olympus")).hasMessageContaining("business-time-zone");
        assertThatThrownBy(() -> load("replication-factor=0")).hasMessageContaining("replication-factor");
        assertThatThrownBy(() -> load("partitons=4")).hasMessageContaining("unknown setting 'partitons'");
        assertThat(load("stream-threads=", "replication-factor=").streamThreads()).isPositive();
        // the keystore is read when the server starts, before anything else does
        assertThatThrownBy(() -> io.kpipeline.app.http.Tls.of(load("tls-keystore=/no/such/keystore.p12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls-keystore");
        for (String bad : List.of("port=70000", "stream-threads=0", "correction-horizon=x", "output-compression=brotli")) {
            assertThatThrownBy(() -> load(bad)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception"));
        }
    }

    /** Run with {@code -Dkpi.updateDocs=true} to write the table after changing a declaration. */
    @Test
    void docsConfigurationHoldsTheTableOfTheDeclarations() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN), end = doc.indexOf(END);
        assertThat(begin).as("the generated table's markers in " + DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String current = doc.substring(begin + BEGIN.length(), end);
        String generated = Settings.markdown();
        if (Boolean.getBoolean("kpi.updateDocs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end));
            return;
        }
        assertThat(current).as(DOC + " is stale: run mvn -pl kpi-app test -Dtest=SettingsTest -Dkpi.updateDocs=true").isEqualTo(generated);
    }
}
