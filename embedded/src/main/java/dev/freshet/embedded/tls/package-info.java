/**
 * Self-signed TLS material for the embedded broker's SSL listeners and the embedded registry's
 * HTTPS endpoint, generated with the JDK's {@code keytool} so that tests and local runs can
 * exercise a secured deployment without certificates in the repository.
 */
package dev.freshet.embedded.tls;
