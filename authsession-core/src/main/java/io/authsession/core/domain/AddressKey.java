package io.authsession.core.domain;

import java.util.Objects;

/**
 * The keyed hash of a normalised e-mail address that names the address's state in a store (its resend window, its
 * failed-guess budget), so that no key name holds an address in clear (CONTRACT §7). Made by
 * {@code CodeHashKey.addressKeyOf}; the same address gives the same key under one code hash key.
 *
 * @param value 22 URL-safe characters (128 bits of HMAC-SHA256)
 */
public record AddressKey(String value) {
    public AddressKey {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[A-Za-z0-9_-]{22}")) {
            throw new IllegalArgumentException("an address key is 22 URL-safe characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
