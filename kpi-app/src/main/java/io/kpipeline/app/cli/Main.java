package io.kpipeline.app.cli;

import io.kpipeline.app.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kpi} command: run, import, simulate. Errors are one line on stderr and a non-zero exit code. */
@Command(name = "kpi", mixinStandardHelpOptions = true, version = "kpi-pipeline 0.1.0",
        description = "Real-time sales KPIs from CRM events on Kafka Streams.",
        footer = "%nMeasurements: ./kpi bench and ./kpi soak (the kpi-bench module, not in this jar).",
        subcommands = {RunCommand.class, ImportCommand.class, SimulateCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /** Runs {@code cl} the way every kpi command runs: a failure is one line naming its cause, exit 2 for configuration. */
    public static int execute(CommandLine cl, String... args) {
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("kpi: " + message(e));
            return e instanceof ConfigException ? 2 : 1;
        });
        return cl.execute(args);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, import or simulate");
    }
}
