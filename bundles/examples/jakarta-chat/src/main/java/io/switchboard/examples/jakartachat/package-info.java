/**
 * The chat example written the way Jakarta WebSocket users write it: an annotated endpoint
 * ({@link io.switchboard.examples.jakartachat.ChatEndpoint}, {@code /jakarta-chat/{room}}) with
 * JSON encoders and decoders, the rooms its instances share
 * ({@link io.switchboard.examples.jakartachat.ChatRooms}), and the page with its JavaScript client
 * ({@link io.switchboard.examples.jakartachat.ChatPage}). Nothing is exported.
 */
package io.switchboard.examples.jakartachat;
