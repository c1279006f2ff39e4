package io.authsession.core.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes instants as RFC 3339 in UTC with milliseconds, for example {@code 2026-11-22T10:15:30.123Z}. */
public final class Timestamps {
    private static final DateTimeFormatter RFC_3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** The instant, truncated to milliseconds, in RFC 3339 UTC. */
    public static String format(Instant instant) {
        return RFC_3339_MILLIS.format(instant);
    }
}
