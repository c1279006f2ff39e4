package io.authsession.core.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way the configuration spells them: {@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 1h}, {@code 1m30s}, {@code 720h}.
 *
 * <p>Units are {@code h}, {@code m}, {@code s}, {@code ms}, {@code us} and {@code ns}; a unit may have
 * a decimal fraction ({@code 1.5h}). A bare {@code 0} is zero. Negative durations are refused.
 */
public final class DurationFormat {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private DurationFormat() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the expected format when the text is not a duration
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(trimmed);
        BigDecimal nanos = BigDecimal.ZERO;
        int position = 0;
        while (position < trimmed.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a duration (examples: 500ms, 30s, 10m, 1h, 1m30s)");
            }
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(nanosPer(matcher.group(2)))));
            position = matcher.end();
        }
        if (position == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 30s, 10m, 1h, 1m30s)");
        }
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            boolean fractionOfNanosecond = nanos.stripTrailingZeros().scale() > 0;
            throw new IllegalArgumentException("'" + text + "' is "
                    + (fractionOfNanosecond ? "finer than a nanosecond" : "too long (at most about 292 years)"));
        }
    }

    /** Writes a duration in the shortest form {@link #parse} reads back, for example {@code 1h30m} or {@code 500ms}. */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        if (duration.isZero()) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        int nanos = duration.toNanosPart() % 1_000_000;
        append(out, hours, "h");
        append(out, minutes, "m");
        append(out, seconds, "s");
        append(out, millis, "ms");
        append(out, nanos, "ns");
        return out.toString();
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount > 0) {
            out.append(amount).append(unit);
        }
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs" -> 1_000L;
            default -> 1L;
        };
    }
}
