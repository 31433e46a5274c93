/**
 * The server side of the MySQL client/server protocol, on Netty: the replayer and relay-server's admin port
 * both speak it, so it lives here once rather than in either of them.
 */
package io.binlogbridge.server;
