package io.authsession.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationFormatTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "10m, PT10M",
        "1h, PT1H",
        "1m30s, PT1M30S",
        "720h, PT720H",
        "1.5h, PT1H30M",
        "0, PT0S",
        "0s, PT0S",
        "250us, PT0.00025S",
        "1h2m3s4ms, PT1H2M3.004S",
    })
    void parses(String text, Duration expected) {
        assertThat(DurationFormat.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "-5s", "5 s", "ten minutes", "1d", "m", "1h 30m", "PT10M", "1.s"})
    void rejects(String text) {
        assertThatThrownBy(() -> DurationFormat.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3000000h", "99999999999999999999s", "0.5ns", "1.0001us"})
    void rejectsOutOfRange(String text) {
        assertThatThrownBy(() -> DurationFormat.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("'.*' is (too long.*|finer than a nanosecond)");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({"PT0.5S, 500ms", "PT1M30S, 1m30s", "PT720H, 720h", "PT0S, 0", "PT1H0.001S, 1h1ms"})
    void formats(Duration duration, String text) {
        assertThat(DurationFormat.format(duration)).isEqualTo(text);
        assertThat(DurationFormat.parse(text)).isEqualTo(duration);
    }
}
