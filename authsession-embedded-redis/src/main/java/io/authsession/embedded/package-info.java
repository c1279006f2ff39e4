/**
 * Starts the {@code redis-server} binary of the {@code embedded-redis} artifact for {@code --dev} and for tests, and
 * talks to it without a client library; start at {@link io.authsession.embedded.EmbeddedRedis}.
 */
package io.authsession.embedded;
