package io.authsession.testkit;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The failed-guess windows of addresses, shared by an in-memory challenge store and the throttle that reads them. */
final class AddressBudgets {
    private final Map<AddressKey, Window> windows = new HashMap<>();

    synchronized AddressState state(AddressKey address, AddressBudget budget, Instant now) {
        Window window = windows.get(address);
        if (window == null || !now.isBefore(window.until)) {
            return AddressState.CLEAR;
        }
        return new AddressState(window.count, Optional.of(window.until),
                !budget.isOff() && window.count >= budget.maxFailedAttempts());
    }

    synchronized boolean locked(AddressKey address, AddressBudget budget, Instant now) {
        return state(address, budget, now).locked();
    }

    /** Counts one failed guess; whether it reached the budget (the address locks now). */
    synchronized boolean count(AddressKey address, AddressBudget budget, Instant now) {
        if (budget.isOff()) {
            return false;
        }
        Window window = windows.get(address);
        Window counted = window == null || !now.isBefore(window.until)
                ? new Window(1, now.plus(budget.window()))
                : new Window(window.count + 1, window.until);
        windows.put(address, counted);
        return counted.count == budget.maxFailedAttempts();
    }

    synchronized boolean reset(AddressKey address, Instant now) {
        Window removed = windows.remove(address);
        return removed != null && now.isBefore(removed.until);
    }

    private record Window(int count, Instant until) {}
}
