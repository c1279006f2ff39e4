package io.authsession.testkit;

import java.util.Collection;

/** Tells how many character positions of a set of ids vary, a floor on the random bits they carry. */
final class IdEntropy {
    private IdEntropy() {}

    /** Positions at which the ids do not all have the same character (ids are compared up to the shortest). */
    static int varyingPositions(Collection<String> ids) {
        int shortest = ids.stream().mapToInt(String::length).min().orElse(0);
        String first = ids.iterator().next();
        int varying = 0;
        for (int position = 0; position < shortest; position++) {
            char c = first.charAt(position);
            int at = position;
            if (ids.stream().anyMatch(id -> id.charAt(at) != c)) {
                varying++;
            }
        }
        return varying;
    }
}
