package io.authsession.core.port;

import java.util.Objects;
import java.util.Optional;

/**
 * A typed login code as a store can compare it: the hex hashes it would have been stored under, with the current
 * code hash key and, during a rotation, the previous one. The key itself never reaches a store.
 *
 * @param underCurrentKey HMAC-SHA256 of the challenge id and the code under the current key, hex
 * @param underPreviousKey the same under the previous key, when one is configured
 */
public record TypedCode(String underCurrentKey, Optional<String> underPreviousKey) {
    public TypedCode {
        Objects.requireNonNull(underCurrentKey, "underCurrentKey");
        Objects.requireNonNull(underPreviousKey, "underPreviousKey");
    }

    @Override
    public String toString() {
        return "TypedCode[hidden]";
    }
}
