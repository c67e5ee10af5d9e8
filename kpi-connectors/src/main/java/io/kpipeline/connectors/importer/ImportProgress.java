package io.kpipeline.connectors.importer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;

/** How far an import is: a progress bar over the file's bytes on a terminal, a plain line every 5 s otherwise. */
final class ImportProgress implements AutoCloseable {
    private static final long EVERY = Duration.ofSeconds(5).toNanos();
    private final ProgressBar bar;
    private final PrintStream out;
    private final boolean terminal;
    private final long size;
    private long nextReport = System.nanoTime() + EVERY;

    ImportProgress(long size, PrintStream out, boolean terminal) {
        this.size = size;
        this.out = out;
        this.terminal = terminal;
        // Off a terminal a redrawn bar is noise; periodic lines are printed instead.
        PrintStream barOut = terminal ? out : new PrintStream(PrintStream.nullOutputStream());
        this.bar = new ProgressBarBuilder().setTaskName("import").setInitialMax(Math.max(1, size))
                .setUnit(" MB", 1024 * 1024).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .showSpeed().setConsumer(new ConsoleProgressBarConsumer(barOut)).build();
    }

    void at(long bytes, ImportSummary summary) {
        bar.stepTo(Math.min(bytes, size));
        if (!terminal && System.nanoTime() > nextReport) {
            out.printf("import: %,d lines, %,d sent, %,d rejected%n", summary.lines, summary.sent, summary.rejected());
            nextReport = System.nanoTime() + EVERY;
        }
    }

    @Override
    public void close() {
        bar.stepTo(size);
        bar.close();
    }
}
