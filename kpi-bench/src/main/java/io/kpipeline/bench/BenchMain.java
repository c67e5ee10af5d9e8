package io.kpipeline.bench;

import io.kpipeline.app.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kpi bench} and {@code kpi soak} (the {@code kpi} script sends those two here): measurements of the pipeline,
 * kept out of the production jar. Errors are one line on stderr and a non-zero exit code, as for {@link Main}.
 */
@Command(name = "kpi", mixinStandardHelpOptions = true, version = "kpi-pipeline 0.1.0",
        description = "Measure the pipeline: bench (beside raw Kafka baselines), soak (instances killed under load).",
        subcommands = {BenchCommand.class, SoakCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return Main.execute(new CommandLine(new BenchMain()), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: bench or soak");
    }
}
