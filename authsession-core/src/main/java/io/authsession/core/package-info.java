/**
 * For services that embed authsession: the {@link io.authsession.core.AuthSession} facade and its builder, the
 * request and answer types of its use cases, and {@link io.authsession.core.CodeHashKey}.
 *
 * <p>The use cases themselves are package-private; everything they need comes through the ports of
 * {@link io.authsession.core.port}. Errors are in {@link io.authsession.core.error}.
 */
package io.authsession.core;
