package dev.sluice.api;

import io.vertx.core.Vertx;

/** What the runtime hands a plugin's factories. */
public interface PluginContext {
  /** The gateway's Vert.x instance: create HTTP clients and timers from it, never block its event loops. */
  Vertx vertx();
}
