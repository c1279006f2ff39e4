/**
 * The operator command line, {@code java -jar authsession-server.jar admin <command>} (CONTRACT §10): sessions, the
 * mass logout, the audit and repair of the data, failed-guess budgets, runtime settings and code-hash keys, on the
 * server's own configuration and composition root ({@link io.authsession.server.OperatorEnvironment}).
 */
package io.authsession.server.admin;
