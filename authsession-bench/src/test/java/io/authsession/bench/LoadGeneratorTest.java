package io.authsession.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LoadGeneratorTest {

    private static LoadGenerator oneWorker() {
        return new LoadGenerator(1, () -> new LoadGenerator.Worker(new HttpConnection("127.0.0.1", 9, null),
                new HttpConnection("127.0.0.1", 9, null)));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("open loop: a stall is charged to every operation due during it, not only to the one that stalled")
    void openLoop_noCoordinatedOmission() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator load = oneWorker();
        LoadGenerator.Phase phase = load.openLoop(worker -> {
            if (calls.getAndIncrement() == 0) {
                Thread.sleep(200); // a server that answers the first request late
            }
        }, 1000, Duration.ofMillis(500));
        load.close();

        assertThat(phase.completed()).isEqualTo(500);
        assertThat(phase.errors()).isZero();
        // Every operation due in the first 150 ms waited behind the stall: a closed-loop measurement would have
        // recorded one slow operation; here at least 100 are slower than 50 ms.
        assertThat(phase.latencies().getCountBetweenValues(50_000, Long.MAX_VALUE / 4)).isGreaterThanOrEqualTo(100);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void openLoop_countsFailures() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator load = oneWorker();
        LoadGenerator.Phase phase = load.openLoop(worker -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("send answered 503");
            }
        }, 1000, Duration.ofMillis(100));

        assertThat(phase.completed()).isEqualTo(50);
        assertThat(phase.errors()).isEqualTo(50);
        assertThat(load.takeFirstError()).contains("send answered 503");
        load.close();
    }
}
