package dev.quant4j.eval.tokenizer;

import java.time.Duration;

/**
 * CPU time of this process (all threads), so speed checks do not fail because other processes share the machine
 * (wall time there can be several times longer). Falls back to wall time where the OS does not report it.
 */
final class CpuTime {
    private CpuTime() {
    }

    static long now() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElseGet(System::nanoTime);
    }
}
