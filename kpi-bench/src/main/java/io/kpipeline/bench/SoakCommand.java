package io.kpipeline.bench;

import io.kpipeline.bench.Soak;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code kpi soak}: instances killed and restarted under a live load, then compared with a clean run. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run several instances under a backfill and a live load, kill -9 and restart one every period, then compare "
                + "every monthly KPI through each of them with a clean single instance on the same events; exits 1 on any difference.")
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--instances", defaultValue = "3", description = "instances sharing the application (default ${DEFAULT-VALUE})")
    int instances;

    @Option(names = "--partitions", defaultValue = "6", description = "partitions of crm-events (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--rate", defaultValue = "2000", description = "live events a second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--minutes", defaultValue = "10", description = "how long the live load lasts (default ${DEFAULT-VALUE})")
    int minutes;

    @Option(names = "--kill-every", defaultValue = "60", description = "seconds between kills (default ${DEFAULT-VALUE})")
    int killEvery;

    @Option(names = "--backfill", defaultValue = "200000", description = "events sent before the live load (default ${DEFAULT-VALUE})")
    int backfill;

    @Option(names = "--dir", description = "where the broker and the instances keep their data (default: a new temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || partitions < 1 || rate < 1 || minutes < 1 || killEvery < 1 || backfill < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--instances, --partitions, --rate, --minutes and --kill-every must be 1 or more, --backfill 0 or more");
        }
        Path where = dir != null ? dir : Files.createTempDirectory("kpi-soak");
        Soak.Result r = new Soak(new Soak.Options(instances, partitions, rate, Duration.ofMinutes(minutes), Duration.ofSeconds(killEvery),
                backfill, where, 42), System.out::println).run();
        System.out.printf("%nevents sent: %,d (%,d of them a second time); instances killed -9 and restarted: %d%n", r.sent(), r.duplicates(), r.kills());
        r.heap().forEach(h -> System.out.println("  " + h));
        System.out.printf("answers compared with the clean single instance: %,d; different: %,d%n", r.compared(), r.differences().size());
        r.differences().stream().limit(20).forEach(d -> System.out.println("  " + d));
        return r.differences().isEmpty() ? 0 : 1;
    }
}
