package io.vigil.rgm.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One runner, more launches than a batch of named pipes: every launch still gets its own output. */
class FifoBatchTest {

    @Test
    void moreLaunchesThanABatchEachGetTheirOwnOutput() throws Exception {
        ProcessRunner runner = new ProcessRunner(java.time.Duration.ofSeconds(10)); // EOF ends the wait
        for (int i = 0; i < ProcessRunner.FIFO_BATCH + 8; i++) {
            List<String> lines = new ArrayList<>();
            MethodOutcome o = runner.run(List.of("/bin/echo", "run " + i), MethodCommand.BASE_ENVIRONMENT, null,
                    Duration.ofSeconds(10), Duration.ofMillis(200), lines::add);
            assertTrue(o.succeeded(), o.describe());
            assertEquals(List.of("run " + i), lines);
        }
    }
}
