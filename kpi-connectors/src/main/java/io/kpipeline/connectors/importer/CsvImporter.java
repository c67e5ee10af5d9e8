package io.kpipeline.connectors.importer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.csv.CsvMapping;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.event.InvalidEventException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./kpi import --format csv --mapping mapping.yaml export.csv}: the rows of a CRM export, turned into
 * canonical events by a {@link CsvMapping}, with the validation, dead-letter topic, progress and summary of the JSON
 * Lines import. A column the mapping needs and the header lacks stops the import before anything is sent.
 */
public final class CsvImporter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventSink sink;
    private final CsvMapping mapping;
    private final PrintStream out;
    private final boolean terminal;

    public CsvImporter(EventSink sink, CsvMapping mapping, PrintStream out, boolean terminal) {
        this.sink = sink;
        this.mapping = mapping;
        this.out = out;
        this.terminal = terminal;
    }

    /** Throws {@link IllegalArgumentException} when the file's header lacks a column the mapping reads. */
    public ImportSummary importFile(Path file) throws IOException {
        ImportSummary summary = new ImportSummary();
        long started = System.nanoTime();
        String name = file.getFileName().toString();
        // rows as lists against the header read here: a row with more values than the header has columns (an
        // unquoted separator in a name shifts every value after it) is refused by line, not taken shifted
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(mapping.separator());
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.TRIM_SPACES);
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (InputStream in = Files.newInputStream(file);
             MappingIterator<List<String>> rows = csv.readerForListOf(String.class).with(schema).readValues(skipBom(in));
             ImportProgress progress = new ImportProgress(Files.size(file), out, terminal)) {
            List<String> header = null;
            while (true) {
                List<String> values;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    values = rows.nextValue();
                } catch (RuntimeException | IOException e) {
                    // a row the CSV parser cannot read (an unclosed quote): the rest of the file is unreadable too
                    summary.failure = "line " + rows.getCurrentLocation().getLineNr() + " of " + name + " is not CSV: "
                            + e.getMessage().lines().findFirst().orElse("");
                    break;
                }
                if (header == null) {
                    header = values;
                    requireColumns(header, name);
                    continue;
                }
                if (values.size() == 1 && values.get(0).isEmpty()) {
                    continue; // a blank line
                }
                JsonLocation at = rows.getParser().currentTokenLocation();
                long line = at.getLineNr();
                if (values.size() > header.size()) {
                    summary.lines++;
                    InvalidEventException tooMany = new InvalidEventException("INVALID_CSV", "line " + line + " has " + values.size()
                            + " values, the header " + header.size() + " columns (a separator in a value that is not quoted?)");
                    reject(summary, tooMany, name, line, String.join(String.valueOf(mapping.separator()), values)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    continue;
                }
                // fewer values than columns: the missing trailing ones are empty, as spreadsheet exports leave them
                Map<String, String> row = new java.util.LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++) {
                    row.put(header.get(c), c < values.size() ? values.get(c) : "");
                }
                summary.lines++;
                String raw = JSON.writeValueAsString(row);
                Translation t = mapping.map(row, raw);
                for (CrmEvent e : t.events()) {
                    var record = sink.serialize(e);
                    var refused = sink.refusal(e, record);
                    if (refused != null) {
                        reject(summary, refused, name, line, raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        continue;
                    }
                    sink.send(record);
                    summary.sent++;
                }
                for (Translation.Rejected r : t.rejected()) {
                    reject(summary, r.reason(), name, line, r.raw());
                }
                progress.at(Math.max(at.getByteOffset(), at.getCharOffset()), summary);
                if (sink.firstFailure() != null) {
                    break;
                }
            }
            sink.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            summary.failure = "Kafka refused the records: " + e.getMessage();
        }
        return summary.finish(sink, started);
    }

    /** A row's event refused: counted in the summary and dead-lettered with the file's name and the line. */
    private void reject(ImportSummary summary, InvalidEventException why, String name, long line, byte[] raw) {
        summary.reject(why, line);
        sink.reject(why, "import", name, line, raw);
    }

    private void requireColumns(List<String> columns, String name) {
        Set<String> header = new TreeSet<>(columns);
        Set<String> missing = new TreeSet<>(mapping.columns());
        missing.removeAll(header);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(name + " has no column " + String.join(", ", missing.stream().map(c -> "'" + c + "'").toList())
                    + " that the mapping reads (its header: " + String.join(", ", header) + ")");
        }
    }

    /** Spreadsheet programs write a byte-order mark; it would otherwise become part of the first column's name. */
    private static InputStream skipBom(InputStream in) throws IOException {
        java.io.PushbackInputStream p = new java.io.PushbackInputStream(in, 3);
        byte[] head = p.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            p.unread(head);
        }
        return p;
    }

}
