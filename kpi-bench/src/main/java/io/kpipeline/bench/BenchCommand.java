package io.kpipeline.bench;

import io.kpipeline.bench.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kpi bench}: the pipeline measured side by side with the raw broker it runs on. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a fresh embedded pipeline against raw Kafka baselines; prints a table and writes JSON.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "size of the simulated history (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--quick", description = "a small history (100,000 events) that finishes in about a minute")
    boolean quick;

    @Option(names = "--rate", defaultValue = "2000", description = "sustained live rate for the freshness measurement (default ${DEFAULT-VALUE} events/s)")
    int rate;

    @Option(names = "--live-seconds", defaultValue = "30", description = "how long the live phase lasts (default ${DEFAULT-VALUE} s)")
    int liveSeconds;

    @Option(names = "--query-rate", defaultValue = "200", description = "queries a second the second process asks during the live phase; "
            + "0: as fast as they are answered, which measures a saturated machine (default ${DEFAULT-VALUE})")
    int queryRate;

    @Option(names = "--fixed-entities", description = "the leads, deals and accounts of a 1,000,000-event history whatever --events "
            + "says, the other events being more touchpoints on those leads: how state grows with events alone")
    boolean fixedEntities;

    @Option(names = "--out", defaultValue = "bench-results", description = "directory for the JSON results")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (queryRate < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--query-rate: must be 0 or more");
        }
        if (fixedEntities && (quick || events < 1_000_000)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--fixed-entities: needs --events of 1000000 or more (it keeps the entities of a 1,000,000-event history)");
        }
        new Benchmark(quick ? 100_000 : events, out, rate, quick ? 10 : liveSeconds, queryRate, fixedEntities).run();
        return 0;
    }
}
