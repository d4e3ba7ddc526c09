package dev.sluice.plugins.demo;

import org.pf4j.Plugin;

/** The {@code demo} plugin: a local LLM simulator, served by {@link DemoProviderFactory}. */
public final class DemoPlugin extends Plugin {
  public DemoPlugin() {
    super();
  }
}
