/**
 * For everyone: the errors authsession throws, each carrying a code of the contract
 * ({@link io.authsession.core.error.ErrorCode}), and {@link io.authsession.core.error.InvalidSettingException} for
 * settings that break a rule. A leaf: it depends on nothing else of authsession.
 */
package io.authsession.core.error;
