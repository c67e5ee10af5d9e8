package io.kpipeline.app.config;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every setting the code reads by name is declared, and read through the accessor of its declared type: a key
 * misspelt, or a duration read as text, fails here rather than at some start-up.
 */
class SettingReadsTest {
    static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../kpi-bench/src/main/java"));
    static final Pattern READ = Pattern.compile("\\b(?:config|c)\\.(get|integer|longValue|duration)\\(\"([^\"]+)\"\\)");

    @Test
    void everySettingReadByNameIsDeclaredAndReadAsItsType() throws IOException {
        Map<String, ConfigDef.ConfigKey> declared = Settings.DEF.configKeys();
        List<String> reads = new ArrayList<>();
        for (Path root : SOURCES) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path f : files) {
                Matcher m = READ.matcher(Files.readString(f));
                while (m.find()) {
                    String accessor = m.group(1), key = m.group(2);
                    reads.add(key);
                    String where = f.getFileName() + " reads " + accessor + "(\"" + key + "\")";
                    assertThat(declared).as(where + ": no such setting").containsKey(key);
                    ConfigDef.ConfigKey k = declared.get(key);
                    switch (accessor) {
                        case "integer" -> assertThat(k.type).as(where).isIn(ConfigDef.Type.INT, ConfigDef.Type.STRING);
                        case "longValue" -> assertThat(k.type).as(where).isIn(ConfigDef.Type.LONG, ConfigDef.Type.INT);
                        case "duration" -> assertThat(k.validator).as(where + ": not declared as a duration").isSameAs(Settings.DURATION);
                        default -> { }
                    }
                }
            }
        }
        // the scan finds the reads it is meant to check
        assertThat(reads).contains("port", "lead-response-sla", "webhook-max-bytes", "commit-interval");
    }

    @Test
    void anUndeclaredKeyIsRefusedByName() {
        KpiConfig c = KpiConfig.load(null, Map.of(), List.of(), Map.of());
        assertThatThrownBy(() -> c.integer("partitons")).hasMessageContaining("no setting 'partitons'");
        assertThat(c.integer("partitions")).isEqualTo(4);
    }
}
