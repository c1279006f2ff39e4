package io.authsession.core.domain;

import io.authsession.core.error.AuthSessionException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated, normalised e-mail address: the identity used for throttling, user lookup and mail.
 *
 * <p>Build one with {@link #parse(String)}, which trims, applies Unicode NFC and lower-cases
 * (locale-independent) before validating. The rules are checked on the normalised form, which is what
 * gets stored.
 */
public record EmailAddress(String value) {
    static final int MAX_LENGTH = 254;
    static final int MAX_LOCAL_PART_LENGTH = 64;

    public EmailAddress {
        Objects.requireNonNull(value, "value");
        validate(value);
        if (!value.equals(normalise(value))) {
            throw AuthSessionException.invalidRequest("email", "must be normalised (use EmailAddress.parse)");
        }
    }

    /**
     * Normalises and validates raw input.
     *
     * @throws AuthSessionException with {@code invalid_request} naming the broken rule
     */
    public static EmailAddress parse(String raw) {
        if (raw == null) {
            throw AuthSessionException.invalidRequest("email", "is required");
        }
        return new EmailAddress(normalise(raw));
    }

    private static String normalise(String raw) {
        return Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static void validate(String email) {
        if (email.isEmpty()) {
            throw AuthSessionException.invalidRequest("email", "is required");
        }
        if (email.codePointCount(0, email.length()) > MAX_LENGTH) {
            throw AuthSessionException.invalidRequest("email", "must be at most " + MAX_LENGTH + " characters");
        }
        if (email.codePoints().anyMatch(EmailAddress::isSpaceOrControl)) {
            throw AuthSessionException.invalidRequest("email", "must not contain white space or control characters");
        }
        int at = email.indexOf('@');
        if (at < 0 || at != email.lastIndexOf('@')) {
            throw AuthSessionException.invalidRequest("email", "must contain exactly one @");
        }
        String local = email.substring(0, at);
        if (local.isEmpty()) {
            throw AuthSessionException.invalidRequest("email", "the part before @ must not be empty");
        }
        if (local.codePointCount(0, local.length()) > MAX_LOCAL_PART_LENGTH) {
            throw AuthSessionException.invalidRequest(
                    "email", "the part before @ must be at most " + MAX_LOCAL_PART_LENGTH + " characters");
        }
        String[] labels = email.substring(at + 1).split("\\.", -1);
        if (labels.length < 2 || java.util.Arrays.stream(labels).anyMatch(String::isEmpty)) {
            throw AuthSessionException.invalidRequest(
                    "email", "the domain must have at least two non-empty labels separated by a dot");
        }
    }

    private static boolean isSpaceOrControl(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || Character.isISOControl(codePoint);
    }

    @Override
    public String toString() {
        return value;
    }
}
