/**
 * For adapter authors (the service provider interface): the ports authsession talks to the world through, and their
 * result types. Each port has a contract kit in {@code authsession-testkit} that an adapter subclasses. Depends on
 * {@link io.authsession.core.domain}, {@link io.authsession.core.wire} and {@link io.authsession.core.error}, never on
 * the facade.
 */
package io.authsession.core.port;
