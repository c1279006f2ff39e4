package io.authsession.core.port;

import io.authsession.core.domain.AddressKey;
import java.util.Objects;

/**
 * Proof of holding a resend window; only its holder can release it.
 *
 * @param address the keyed hash of the address the window is for
 * @param token unique to this window
 */
public record ThrottlePermit(AddressKey address, String token) {
    public ThrottlePermit {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
    }
}
