package io.kpipeline.connectors.importer;

import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;

import java.io.InputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./kpi import FILE.jsonl}: validates each line against the event contract, sends valid events to the
 * pipeline and each invalid line, with its reason and line number, to the dead-letter topic. Shows a progress bar
 * on a terminal and plain periodic lines otherwise.
 */
public final class JsonLinesImporter {
    private static final int BATCH = 2048;
    private static final int PARSERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final EventSink sink;
    private final PrintStream out;
    private final boolean terminal;

    public JsonLinesImporter(EventSink sink, PrintStream out, boolean terminal) {
        this.sink = sink;
        this.out = out;
        this.terminal = terminal;
    }

    public ImportSummary importFile(Path file) throws IOException {
        ImportSummary summary = new ImportSummary();
        long started = System.nanoTime();
        long size = Files.size(file);
        String name = file.getFileName().toString();
        ExecutorService parsers = Executors.newFixedThreadPool(PARSERS, r -> {
            Thread t = new Thread(r, "import-parser");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = Files.newInputStream(file);
             ImportProgress progress = new ImportProgress(size, out, terminal)) {
            // Lines are parsed and serialized in batches on a few threads and sent in file order.
            LineBatches batches = new LineBatches(in);
            Deque<Future<List<Parsed>>> inFlight = new ArrayDeque<>();
            long firstLine = 1;
            boolean more = true;
            while (more) {
                LineBatches.Batch batch = batches.next(BATCH);
                if (batch != null) {
                    long from = firstLine;
                    inFlight.add(parsers.submit(() -> parse(batch, from)));
                    firstLine += batch.count();
                }
                more = batch != null;
                while (!inFlight.isEmpty() && (inFlight.size() > 2 * PARSERS || !more)) {
                    for (Parsed p : inFlight.poll().get()) {
                        if (sink.firstFailure() != null) {
                            // the broker is gone or refusing: each further send would block for max.block.ms
                            break;
                        }
                        summary.lines++;
                        if (p.record != null) {
                            sink.send(p.record);
                            summary.sent++;
                        } else if (p.error != null) {
                            summary.reject(p.error, p.line);
                            sink.reject(p.error, "import", name, p.line, p.raw);
                        }
                    }
                    progress.at(batches.consumed(), summary);
                    if (sink.firstFailure() != null) {
                        more = false;
                        inFlight.forEach(f -> f.cancel(true));
                        inFlight.clear();
                    }
                }
            }
            sink.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            summary.failure = "Kafka refused the records: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            summary.failure = "interrupted";
        } catch (ExecutionException e) {
            summary.failure = "could not read the file: " + e.getCause();
        } finally {
            parsers.shutdownNow();
        }
        return summary.finish(sink, started);
    }

    /** One line's outcome: a record to send, a rejection with the line's bytes, or nothing (a blank line). */
    private record Parsed(long line, ProducerRecord<byte[], byte[]> record, InvalidEventException error, byte[] raw) {
    }

    private List<Parsed> parse(LineBatches.Batch batch, long firstLine) {
        List<Parsed> out = new ArrayList<>(batch.count());
        for (int i = 0; i < batch.count(); i++) {
            long n = firstLine + i;
            if (batch.blank(i)) {
                out.add(new Parsed(n, null, null, null));
                continue;
            }
            try {
                int from = batch.starts()[i];
                io.kpipeline.avro.CrmEvent event = EventJson.parse(batch.bytes(), from, batch.ends()[i] - from);
                ProducerRecord<byte[], byte[]> record = sink.serialize(event);
                InvalidEventException refused = sink.refusal(event, record);
                if (refused != null) {
                    throw refused;
                }
                out.add(new Parsed(n, record, null, null));
            } catch (InvalidEventException e) {
                out.add(new Parsed(n, null, e, batch.line(i)));
            }
        }
        return out;
    }
}
