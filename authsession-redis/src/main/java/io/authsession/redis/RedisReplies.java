package io.authsession.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small conversions between Redis replies and Java values. */
final class RedisReplies {
    private RedisReplies() {}

    /** A flat {@code HGETALL} reply from a script ({@code field, value, ...}) as a map. */
    static Map<String, String> fromFlat(Object reply) {
        List<?> flat = (List<?>) reply;
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    static List<String> flat(Map<String, String> fields) {
        List<String> flat = new ArrayList<>(fields.size() * 2);
        fields.forEach((field, value) -> {
            flat.add(field);
            flat.add(value);
        });
        return flat;
    }

    static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    static Instant instant(String millis) {
        return Instant.ofEpochMilli(Long.parseLong(millis));
    }

    static Optional<Instant> optionalInstant(Map<String, String> fields, String field) {
        return Optional.ofNullable(fields.get(field)).map(RedisReplies::instant);
    }

    static String required(Map<String, String> fields, String field) {
        String value = fields.get(field);
        if (value == null) {
            throw new IllegalStateException("stored record lacks field '" + field + "'");
        }
        return value;
    }

    /** A TTL for {@code PEXPIRE}/{@code PX}: never zero or negative, which Redis would refuse or treat as gone. */
    static String ttlMillis(Instant until, Instant now) {
        return Long.toString(Math.max(1, until.toEpochMilli() - now.toEpochMilli()));
    }
}
