/**
 * The chat example: a broadcast chat room ({@link io.switchboard.examples.chat.ChatHandler}) and
 * the page with its JavaScript client ({@link io.switchboard.examples.chat.ChatPage}).
 */
package io.switchboard.examples.chat;
