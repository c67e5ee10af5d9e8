package io.kpipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one benchmark run, printed as a table and written as JSON. */
final class BenchReport {
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();

    void put(String name, Object value, String unit) {
        figures.put(name, value);
        units.put(name, unit);
        System.out.printf("  %-66s %12s %s%n", name, format(value), unit);
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return d >= 100 ? String.format("%,.0f", d) : String.format("%,.2f", d);
        }
        if (v instanceof Long l) {
            return String.format("%,d", l);
        }
        return String.valueOf(v);
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("bench-" + System.currentTimeMillis() + ".json");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("figures", figures);
        doc.put("units", units);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file;
    }
}
