/**
 * Echo servers for the endpoint benchmark, one runnable jar for all of them: Switchboard, the
 * peers it is compared with (Netty, Jetty, Java-WebSocket, Undertow), a raw TCP echo that
 * marks the ceiling, and an annotated Jakarta echo on Switchboard and on Jetty's ee10 server. {@link io.switchboard.benchmarks.servers.BenchServer} starts one by name;
 * every server listens on 127.0.0.1 only, echoes each whole message with its opcode, and
 * answers the load generator's questions (heap, CPU time, threads) on a control port.
 */
package io.switchboard.benchmarks.servers;
