package io.authsession.usecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a call fails with a given contract error code. */
final class Errors {
    private Errors() {}

    static void assertFailsWith(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthSessionException.class,
                e -> assertThat(e.code()).as("error code of '%s'", e.getMessage()).isEqualTo(code));
    }

    /** The error code a call fails with, or {@code "ok"}. */
    static String outcomeOf(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (AuthSessionException e) {
            return e.code().wireName();
        }
    }
}
