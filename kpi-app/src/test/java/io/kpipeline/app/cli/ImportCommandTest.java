package io.kpipeline.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kpi import} exits 2 with a one-line reason when it cannot start: an unreadable file, no pipeline to reach. */
class ImportCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aFileThatCannotBeReadIsNamedWithTheReason() {
        Run missing = run("import", dir.resolve("nope.jsonl").toString());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("cannot read").contains("nope.jsonl").contains("no such file");
        Run directory = run("import", dir.toString());
        assertThat(directory.exit).isEqualTo(2);
        assertThat(directory.err).contains("it is a directory");
    }

    @Test
    void aPipelineThatIsNotReachableExitsTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "{}\n");
        // port 1 on this machine: nothing listens, the connection is refused at once
        Run r = run("import", "--bootstrap-servers", "localhost:1", "--schema-registry", "http://localhost:1", file.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("not reachable").contains("localhost:1").doesNotContain("Exception");
    }
}
