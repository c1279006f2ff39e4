/**
 * For embedders and adapter authors alike: the value types of the contract (challenges, device sessions, e-mail
 * addresses, runtime settings, durations), validated in their constructors. Depends only on
 * {@link io.authsession.core.error}.
 */
package io.authsession.core.domain;
