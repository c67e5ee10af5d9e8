package io.kpipeline.connectors.jsonl;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./kpi import FILE.jsonl}: validates each line against the event contract, sends valid events to the
 * pipeline and each invalid line, with its reason and line number, to the dead-letter topic. Shows a progress bar
 * on a terminal and plain periodic lines otherwise.
 */
public final class JsonLinesImporter {
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
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             ProgressBar bar = progressBar(size)) {
            String line;
            long bytes = 0;
            long nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((line = reader.readLine()) != null) {
                summary.lines++;
                bytes += line.length() + 1;
                if (summary.lines % 4096 == 0) {
                    bar.stepTo(Math.min(bytes, size));
                    if (!terminal && System.nanoTime() > nextReport) {
                        out.printf("import: %,d lines, %,d sent, %,d rejected%n", summary.lines, summary.sent, summary.rejected());
                        nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    }
                    if (sink.firstFailure() != null) {
                        break;
                    }
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    CrmEvent event = EventJson.parse(line);
                    sink.send(event);
                    summary.sent++;
                } catch (InvalidEventException e) {
                    summary.rejectedByReason.merge(e.reasonCode(), 1L, Long::sum);
                    summary.firstExample.putIfAbsent(e.reasonCode(), "line " + summary.lines + ": " + e.getMessage());
                    sink.reject(e, "import", name, summary.lines, line.getBytes(StandardCharsets.UTF_8));
                }
            }
            bar.stepTo(size);
            sink.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            summary.failure = "Kafka refused the records: " + e.getMessage();
        }
        summary.acked = sink.acked();
        summary.failed = sink.failed();
        if (summary.failure == null && sink.firstFailure() != null) {
            summary.failure = "the broker did not acknowledge " + sink.failed() + " records: " + sink.firstFailure().getMessage();
        }
        summary.seconds = (System.nanoTime() - started) / 1e9;
        return summary;
    }

    private ProgressBar progressBar(long size) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("import").setInitialMax(Math.max(1, size))
                .setUnit(" MB", 1024 * 1024).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .showSpeed();
        if (!terminal) {
            // Off a terminal a redrawn bar is noise; periodic lines are printed instead.
            b.setConsumer(new ConsoleProgressBarConsumer(new PrintStream(PrintStream.nullOutputStream())));
        } else {
            b.setConsumer(new ConsoleProgressBarConsumer(out));
        }
        return b.build();
    }
}
