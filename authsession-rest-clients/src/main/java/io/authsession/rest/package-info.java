/**
 * The user directory and mail sender ports over REST (CONTRACT §6.1 and §6.2), with OkHttp and Gson; start at
 * {@link io.authsession.rest.RestClients}.
 */
package io.authsession.rest;
