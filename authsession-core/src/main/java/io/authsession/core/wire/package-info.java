/**
 * For adapters and hosts that write what the contract puts on the wire: the session JSON (one writer for the
 * internal API and the gateway snapshot) and RFC 3339 timestamps. Depends only on {@link io.authsession.core.domain}.
 */
package io.authsession.core.wire;
